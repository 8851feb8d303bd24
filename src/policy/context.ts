/**
 * What the pure policy engine is handed to judge one transition. Everything that needs I/O
 * (reading runs, hashing artifacts, looking up reviews) is a lazy function supplied by the
 * command layer, so the engine reads only what the policies ask for, and a failure of any of
 * them becomes a `could not evaluate:` failure of the check that needed it (fail closed).
 */
import type { LoadedManifest, ModelVersion } from '../manifest/types';
import type { RunRecord, ServerRunView } from '../runs/types';
import type { Transition } from '../transitions/types';
import type { LoadedPolicy, Target } from './types';

/**
 * A loader's failure that is the environment's (S3, git, an API outage), as the command layer
 * that supplies the loader judges it. The checks that needed the loader still report `could
 * not evaluate:` (fail closed), and the engine returns the failure among its faults, next to
 * the results: a command that met one ends with exit 3 (SPEC section 5), never with a verdict.
 */
export class LoaderFault extends Error {
  constructor(readonly fault: Error) {
    super(fault.message);
  }
}

export interface BaselineInfo {
  version: ModelVersion;
  run: () => Promise<RunRecord>;
}

export interface ArtifactCheck {
  /** URI checked (repo-relative path or s3://). */
  uri: string;
  exists: boolean;
  /** Digest recorded in the manifest, if any. */
  expected?: string;
  /** Digest computed now (when the artifact exists). */
  actual?: string;
}

export type ApprovalSource =
  /**
   * In a pull request: reviewers with write access whose latest review is APPROVED on the head
   * commit (author excluded). `withoutWriteAccess` names approving reviewers that did not count
   * because their author association is not OWNER, MEMBER or COLLABORATOR (for the message only).
   */
  | { kind: 'pr'; approvers: { login: string; commit?: string }[]; withoutWriteAccess?: { login: string; association: string }[] }
  /** A direct command (promote/archive/rollback): the acting user. */
  | { kind: 'actor'; actor: string }
  /** A local check outside any PR: approvals are `skipped` (CI verifies them). */
  | { kind: 'none' }
  /**
   * `record` in CI of a commit that GitHub associates with no merged pull request (a direct
   * push): nobody reviewed it, so a required approval fails and the record names no PR.
   */
  | { kind: 'unattributed'; commit: string };

export interface EvaluationContext {
  transition: Transition;
  /** Head-state manifest of the model (the version being judged is in it, except for `remove`). */
  head: LoadedManifest;
  /** Base-state manifest, undefined for a model new in head. */
  base: LoadedManifest | undefined;
  /** All loaded policies from the BASE state; the engine selects those whose `models` match. */
  policies: LoadedPolicy[];
  now: Date;
  /** The run of the version being judged. Throws InputError/EnvironmentError when unreadable. */
  run: () => Promise<RunRecord>;
  /** The version in a stage or alias in the BASE state (baselines, compatibleWith). */
  baseline: (target: Target) => Promise<BaselineInfo | undefined>;
  /**
   * When the version entered its current (base) stage, for `minTimeInStage`: from the audit log,
   * else the commit time of the change that put it there. undefined when unknown.
   */
  enteredStageAt: () => Promise<Date | undefined>;
  approvals: ApprovalSource;
  /** Expands `@org/team` entries of `approvals.from` to member logins. */
  resolveTeam: (team: string) => Promise<string[]>;
  /** The snapshotted run as its tracking server has it now (run.source). Throws EnvironmentError when the server cannot be asked. */
  serverRun?: (run: RunRecord) => Promise<ServerRunView>;
  /** Checks the artifact of the version being judged (exists and digest). */
  artifact: () => Promise<ArtifactCheck>;
  /**
   * For `retention.archived` on a removed or rolled-back version: when it was archived.
   * undefined when unknown.
   */
  archivedAt: (version: number) => Promise<Date | undefined>;
  /**
   * When true, a loader failing with UnsafePathError (a path that would leave the repository)
   * is thrown out of the engine instead of becoming a `could not evaluate:` failure, so `check`
   * exits 2 on it (SPEC section 3). `record`, which never refuses, leaves it unset.
   */
  refuseUnsafePaths?: boolean;
}
