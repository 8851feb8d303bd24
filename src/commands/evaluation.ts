/**
 * Builds the EvaluationContext the pure policy engine judges a transition with: lazy, cached
 * loaders for runs, baselines, artifacts, soak and retention times, wired to the adapters.
 */
import type { LoadedManifest, ModelVersion, Stage } from '../manifest/types';
import type { LoadedPolicy, Target } from '../policy/types';
import { LoaderFault, type ApprovalSource, type ArtifactCheck, type BaselineInfo, type EvaluationContext } from '../policy/context';
import type { RunRecord } from '../runs/types';
import type { Transition } from '../transitions/types';
import type { RepoState } from '../repo/types';
import type { RegistryLayout } from '../repo/registry';
import { readRun } from '../runs/read';
import { isRemoteUri, isS3Uri, normalizeRepoPath } from '../storage/paths';
import { checkArtifact } from '../artifacts/verify';
import { enteredStageAt } from './stageHistory';
import { EnvironmentError, InputError } from '../errors';
import { runEvidence, type Evidence } from '../artifacts/evidence';

export interface EvaluationDeps {
  root: string;
  layout: RegistryLayout;
  base: RepoState;
  head: RepoState;
  policies: LoadedPolicy[];
  now: Date;
  approvals: ApprovalSource;
  resolveTeam?: (team: string) => Promise<string[]>;
  env: Record<string, string | undefined>;
  onProgress?: (text: string) => void;
}

/** Runs are read once per (state, reference) however many checks ask. */
export class RunCache {
  private readonly cache = new Map<string, Promise<RunRecord>>();
  constructor(private readonly env: Record<string, string | undefined>) {}

  get(state: RepoState, v: ModelVersion): Promise<RunRecord> {
    const key = `${state.label}\0${v.run}\0${v.artifact ?? ''}`;
    let p = this.cache.get(key);
    if (!p) {
      p = openRun(state, v, this.env);
      this.cache.set(key, p);
    }
    return p;
  }
}

/**
 * `p`, its environment failure (S3 unreachable or refusing, git failing) marked as a fault: the
 * engine still turns it into a `could not evaluate:` deny, and returns it next to the results,
 * so the command ends with exit 3 (SPEC §5).
 */
async function faulting<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw err instanceof EnvironmentError ? new LoaderFault(err) : err;
  }
}

/**
 * `p`, an API outage it rejects with (retries exhausted) marked as a fault. A refusal, such as a
 * token that may not read teams, stays a failed check: the approval is not there.
 */
async function outageFaulting<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw err instanceof EnvironmentError && (err as { outage?: unknown }).outage === true ? new LoaderFault(err) : err;
  }
}

export async function openRun(state: RepoState, v: ModelVersion, env: Record<string, string | undefined>): Promise<RunRecord> {
  if (isS3Uri(v.run)) return withS3Signature(await openS3Run(v, env), env);
  // An s3:// artifact override is passed through: the reader then takes the signature from the
  // run's own records, never from a local model it would otherwise find.
  const artifact = v.artifact === undefined ? undefined : isRemoteUri(v.artifact) ? v.artifact : normalizeRepoPath(v.artifact, 'artifact');
  return withS3Signature(await readRun(state, normalizeRepoPath(v.run, 'run'), artifact ? { artifact } : {}), env);
}

/**
 * The readers see one source; a model in S3 (an s3:// `artifact:`, or the run's own s3://
 * artifact) has its signature in the MLmodel object there: read through S3, so
 * signature.required / compatible judge it instead of failing closed on "unavailable".
 */
async function withS3Signature(rec: RunRecord, env: Record<string, string | undefined>): Promise<RunRecord> {
  if (rec.signature.state !== 'unavailable' || rec.artifact === undefined || !isS3Uri(rec.artifact)) return rec;
  const [{ S3FileSource, createS3Client }, { mlmodelSignature }] = await Promise.all([import('../storage/s3'), import('../runs/mlflow/mlmodel')]);
  const client = createS3Client(env);
  try {
    const found = await mlmodelSignature(new S3FileSource(client, rec.artifact), '');
    rec.signature = found ?? { state: 'unavailable', reason: `no MLmodel object at ${rec.artifact.replace(/\/+$/, '')}/MLmodel` };
  } finally {
    client.destroy();
  }
  return rec;
}

/**
 * The evidence of a version's run (SPEC section 6) as `state` holds it; a run in S3 is hashed
 * through an S3 source rooted at the run, like openS3Run reads it.
 */
export async function versionEvidence(state: RepoState, v: ModelVersion, env: Record<string, string | undefined>): Promise<Evidence> {
  if (isS3Uri(v.run)) {
    const { source, ref, opts } = await s3Run(v, env);
    return runEvidence(source, ref, opts);
  }
  const artifact = v.artifact === undefined ? undefined : isRemoteUri(v.artifact) ? v.artifact : normalizeRepoPath(v.artifact, 'artifact');
  return runEvidence(state, normalizeRepoPath(v.run, 'run'), artifact ? { artifact } : {});
}

/** An S3 source rooted at the run (a directory prefix, or the folder of a `.json` record), the run's reference in it, and a remote artifact override. */
async function s3Run(v: ModelVersion, env: Record<string, string | undefined>): Promise<{ source: import('../storage/s3').S3FileSource; ref: string; opts: { artifact?: string } }> {
  const { S3FileSource, createS3Client } = await import('../storage/s3');
  const isRecord = v.run.endsWith('.json');
  const root = isRecord ? v.run.slice(0, v.run.lastIndexOf('/')) : v.run.replace(/\/+$/, '');
  const ref = isRecord ? v.run.slice(v.run.lastIndexOf('/') + 1) : '';
  const artifact = v.artifact !== undefined && isRemoteUri(v.artifact) ? v.artifact : undefined;
  return { source: new S3FileSource(createS3Client(env), root), ref, opts: artifact ? { artifact } : {} };
}

/**
 * A run stored in S3 is read with the same readers through an S3 FileSource rooted at the run
 * (a directory prefix, or the folder of a `.json` record). Paths the reader returns are
 * relative to that root, so the artifact it finds is mapped back to its s3:// URI.
 */
async function openS3Run(v: ModelVersion, env: Record<string, string | undefined>): Promise<RunRecord> {
  const { source, ref, opts } = await s3Run(v, env);
  const rec = await readRun(source, ref, opts);
  const found = rec.artifact === undefined || isRemoteUri(rec.artifact) ? rec.artifact : source.describe(rec.artifact);
  rec.ref = v.run;
  if (found === undefined) delete rec.artifact;
  else rec.artifact = found;
  return rec;
}

/** artifact.exists / artifact.digest of the version judged: the manifest's `artifact:`, else its run's. */
async function artifactOf(deps: EvaluationDeps, runs: RunCache, t: Transition, subject: ModelVersion | undefined, state: RepoState): Promise<ArtifactCheck> {
  if (!subject) throw new InputError(`version ${t.version} of ${t.model} is in neither state`);
  const uri = subject.artifact ?? (await runs.get(state, subject)).artifact;
  if (!uri) {
    throw new InputError(`no artifact location for ${t.model} v${t.version}`, {
      hint: 'add `artifact:` to the version in the manifest',
    });
  }
  return checkArtifact(uri, subject.digest, { repoSource: state, env: deps.env, onProgress: deps.onProgress });
}

/** The version holding a stage or alias in a manifest. */
export function versionAt(m: LoadedManifest | undefined, target: Target): ModelVersion | undefined {
  if (!m) return undefined;
  if (target.startsWith('@')) {
    const n = m.manifest.aliases[target.slice(1)];
    return n === undefined ? undefined : m.manifest.versions.find((v) => v.version === n);
  }
  return m.manifest.versions.find((v) => v.stage === target);
}

export function buildContext(
  deps: EvaluationDeps,
  runs: RunCache,
  transition: Transition,
  head: LoadedManifest,
  base: LoadedManifest | undefined,
): EvaluationContext {
  const headVersion = head.manifest.versions.find((v) => v.version === transition.version);
  const baseVersion = base?.manifest.versions.find((v) => v.version === transition.version);
  // A registered version is judged on its evidence as base holds it (SPEC section 2), so a
  // change cannot improve the run it promotes; only a new version's evidence comes from head.
  // A removed version is judged from what base says of it.
  const subject = baseVersion ?? headVersion;
  const subjectState = baseVersion ? deps.base : deps.head;
  const historyDeps = { root: deps.root, state: deps.base, layout: deps.layout };
  return {
    transition,
    head,
    base,
    policies: deps.policies,
    now: deps.now,
    run: async () => {
      if (!subject) throw new InputError(`version ${transition.version} of ${transition.model} is in neither state`);
      return faulting(runs.get(subjectState, subject));
    },
    baseline: async (target: Target): Promise<BaselineInfo | undefined> => {
      const v = versionAt(base, target);
      return v ? { version: v, run: () => faulting(runs.get(deps.base, v)) } : undefined;
    },
    enteredStageAt: async () => {
      const stage = baseVersion?.stage;
      if (!stage) return undefined;
      return enteredStageAt(historyDeps, transition.model, transition.version, stage);
    },
    approvals: deps.approvals,
    resolveTeam: deps.resolveTeam
      ? (team: string) => outageFaulting(deps.resolveTeam!(team))
      : async (team: string) => {
        throw new InputError(`cannot resolve team ${team} outside GitHub`, {
          hint: 'team approvals are resolved by the GitHub Action through the teams API',
        });
      },
    serverRun: (run: RunRecord) => faulting(import('../mlflow/serverView').then((m) => m.serverRunView(run, deps.env))),
    artifact: (): Promise<ArtifactCheck> => faulting(artifactOf(deps, runs, transition, subject, subjectState)),
    archivedAt: async (version: number) => {
      return enteredStageAt(historyDeps, transition.model, version, 'Archived' as Stage);
    },
  };
}
