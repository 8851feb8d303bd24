/**
 * The one path every decision command (register, promote, archive, rollback) takes:
 *   read the current state → refuse to build on a broken audit chain → plan the manifest edit →
 *   judge its transitions (same engine as `check`) → on allow, append the audit records, then
 *   write the manifest (both atomic) → hand back the change, which commands/publish.ts leaves,
 *   commits or publishes (re-judging on the new tip when the branch moved).
 * Denied, dry-run and failed runs write nothing.
 */
import { join, resolve } from 'node:path';
import type { AuditAction, AuditRecord } from '../audit/types';
import type { LoadedManifest } from '../manifest/types';
import type { LoadedPolicy, TransitionResult } from '../policy/types';
import type { Transition } from '../transitions/types';
import { loadManifest } from '../manifest/load';
import { deriveTransitions, removedAliases } from '../transitions/derive';
import { changeRecords, sealChain } from '../audit/build';
import { policyDigest } from './policyDigest';
import { compareWithManifest } from '../audit/replay';
import { appendRecords } from '../audit/log';
import { commitMessage } from '../audit/trailers';
import { selectPolicies } from '../policy/select';
import { InputError } from '../errors';
import { crashPoint, isTempFile, writeFileAtomic } from '../storage/atomic';
import { WorktreeState } from '../repo/worktree';
import { GitState } from '../repo/gitState';
import type { RepoState } from '../repo/types';
import { assertPlainLayout, auditPath, manifestPath, readLayout, readPolicies, type RegistryLayout } from '../repo/registry';
import { assertPlainPath } from '../repo/plainPath';
import { uncommittedPaths } from '../git/commit';
import { takeBack } from '../publish/change';
import type { Attempt } from '../publish/publisher';
import type { PublisherFor } from './publish';
import { exitCodeOf } from './outcome';
import { buildContext, RunCache, type EvaluationDeps } from './evaluation';
import { judge, outcome, type CheckOutcome } from './check';
import { readAuditState } from './auditState';
import { genesisOf } from './audit';
import { repoRoot } from './repoRoot';
import type { CommonOptions } from './options';
import { resolveActor, ciRunUrl } from './actor';

export interface ApplyOptions extends CommonOptions {
  actor?: string;
  reason?: string;
  dryRun?: boolean;
  commit?: boolean;
  push?: boolean;
  /** Where `push` publishes (the Action's commit-mode api); git push by default. */
  publisher?: PublisherFor;
  /** Told when the branch moved and the run starts again on the new tip (default: onProgress). */
  onRetry?: (text: string) => void;
  /** Source fields recorded (PR number, approvals) when driven by the Action. */
  source?: AuditRecord['source'];
  /** Members of an `@org/team` in `approvals.from` (the Action asks the GitHub API). */
  resolveTeam?: (team: string) => Promise<string[]>;
  onProgress?: (text: string) => void;
}

/** What a command wants to change, computed from the current state. */
export interface Plan {
  model: string;
  /** New manifest text (comment-preserving edit of the current one). */
  text: string;
  /** The audit action of each transition the edit makes. */
  actionOf: (t: Transition) => AuditAction;
  /** Marks the primary transitions as judged under rollback rules. */
  via?: 'rollback';
  /** The version the decision is about: its transitions are judged and recorded first. */
  primary: number;
  /** One-line summary for the commit subject. */
  subject: string;
  /** Files the command already wrote (a run snapshot), committed with the manifest. */
  files?: string[];
}

export interface Current {
  root: string;
  layout: RegistryLayout;
  trusted: RepoState;
  work: WorktreeState;
  manifest: LoadedManifest | undefined;
  manifestText: string | undefined;
  policies: LoadedPolicy[];
  audit: Awaited<ReturnType<typeof readAuditState>>;
}

export interface ApplyOutcome extends CheckOutcome {
  written: boolean;
  records: AuditRecord[];
  commit?: string;
}

export async function readCurrent(repo: string, model: string): Promise<Current> {
  const root = await repoRoot(resolve(repo));
  const trusted = await GitState.open(root, 'HEAD').catch(() => {
    throw new InputError('the repository has no commits yet', { hint: 'commit your registry, policies and modelgate.yaml first: policies are read from the last commit' });
  });
  try {
    const layout = await readLayout(trusted);
    const policies = await readPolicies(trusted, layout);
    const work = new WorktreeState(root);
    await assertPlainLayout(work, layout);
    await assertPlainPath(work, manifestPath(layout, model), 'a manifest');
    const manifestText = await work.readText(manifestPath(layout, model));
    const manifest = manifestText === undefined ? undefined : loadManifest(manifestText, manifestPath(layout, model), { singleProduction: true });
    const audit = await readAuditState(work, auditPath(layout, model), model);
    await assertBuildable(root, layout, model, manifest, audit);
    return { root, layout, trusted, work, manifest, manifestText, policies, audit };
  } finally {
    trusted.close?.();
  }
}

/**
 * Never append to a broken chain, nor to a log whose replay disagrees with the manifest (the
 * same comparison `audit verify` makes). The hint names the repair: an interrupted run leaves
 * records in the log that git does not have yet, and discarding them is safe.
 */
async function assertBuildable(root: string, layout: RegistryLayout, model: string, manifest: LoadedManifest | undefined, audit: Current['audit']): Promise<void> {
  if (!audit) return;
  const p = audit.problems[0];
  // The same comparison `audit verify` makes, genesis state included: a hand edit to a version
  // that has no records of its own is caught here too, not only by verify.
  const mismatch = p || !manifest ? undefined : compareWithManifest(audit.replay, manifest.manifest, await genesisOf(root, layout, model))[0];
  if (!p && mismatch === undefined) return;
  const repair = await repairHint(root, audit.file, manifest?.file);
  if (p) {
    throw new InputError(`the audit log of ${model} is broken: ${p.message}`, {
      location: { file: audit.file, ...(p.line !== undefined ? { line: p.line } : {}) },
      hint: repair ?? 'run `modelgate audit verify` to see every problem; restore the log from git history (git log -- <log>) before making new decisions',
    });
  }
  throw new InputError(`${model}: ${mismatch!} (${audit.file} and ${manifest!.file} disagree)`, {
    location: { file: manifest!.file },
    hint:
      repair ??
      'a change was made without its record: commit it and run `modelgate record` (or revert it); `modelgate audit verify` shows details',
  });
}

/** When the log has changes git does not (and the manifest none), discarding them is the repair. */
async function repairHint(root: string, log: string, manifest: string | undefined): Promise<string | undefined> {
  const dirty = await uncommittedPaths(root, manifest ? [log, manifest] : [log]).catch(() => []);
  const logChange = dirty.find((d) => d.path === log);
  if (!logChange || dirty.some((d) => d.path === manifest)) return undefined;
  const discard = logChange.tracked ? `git checkout HEAD -- ${log}` : `rm ${log}`;
  return `${log} has changes git does not have (a modelgate run interrupted between its two writes, or an edit): discard them (${discard}), check with \`modelgate audit verify\`, and re-run the command`;
}

/**
 * `--commit` and `--push` build on committed decisions only: the files they would commit must
 * not hold changes of their own (an interrupted run's writes, a hand edit), or the commit
 * would carry them unjudged and unrecorded.
 */
export async function assertCommitted(root: string, files: string[]): Promise<void> {
  const dirty = (await uncommittedPaths(root, files)).filter((p) => !isTempFile(p.path));
  if (dirty.length === 0) return;
  const paths = dirty.map((d) => d.path);
  const tracked = dirty.filter((d) => d.tracked).map((d) => d.path);
  const created = dirty.filter((d) => !d.tracked).map((d) => d.path);
  const discard = [tracked.length ? `git checkout HEAD -- ${tracked.join(' ')}` : '', created.length ? `rm ${created.join(' ')}` : ''].filter(Boolean).join(' && ');
  throw new InputError(`${paths.join(', ')} ${paths.length === 1 ? 'has' : 'have'} changes that are not committed`, {
    hint:
      `--commit and --push build only on committed decisions (an interrupted modelgate run leaves its writes uncommitted): ` +
      `run \`modelgate audit verify\`, then commit them (git add ${paths.join(' ')} && git commit) or discard them (${discard}), and re-run`,
  });
}

export async function applyPlan(opts: ApplyOptions, cur: Current, plan: Plan): Promise<Attempt<ApplyOutcome>> {
  const file = manifestPath(cur.layout, plan.model);
  const next = loadManifest(plan.text, file, { singleProduction: false });
  // The decision's own transition first (its record precedes the displaced version's archive).
  const transitions = deriveTransitions(plan.model, cur.manifest?.manifest, next.manifest)
    .map((t) => (plan.via && t.version === plan.primary && t.kind !== 'remove' ? { ...t, via: plan.via } : t))
    .sort((a, b) => Number(b.version === plan.primary) - Number(a.version === plan.primary));
  if (transitions.length === 0) throw new InputError(`nothing to change: ${plan.subject} is already the case`);

  const actor = await resolveActor(cur.root, opts.actor, opts.env);
  const deps: EvaluationDeps = {
    root: cur.root,
    layout: cur.layout,
    base: cur.work,
    head: cur.work,
    policies: cur.policies,
    now: opts.now,
    approvals: { kind: 'actor', actor },
    env: opts.env,
    ...(opts.resolveTeam ? { resolveTeam: opts.resolveTeam } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  };
  const runs = new RunCache(opts.env);
  const results: TransitionResult[] = [];
  const faults: Error[] = [];
  for (const t of transitions) {
    const j = await judge(deps, runs, t, next, cur.manifest, { refuseUnsafePaths: true });
    results.push(j.result);
    faults.push(...j.faults);
    if (faults.length) break; // no verdict to give: nothing is written
  }
  const judged = outcome(results, [], faults);
  // Denied, unjudgeable (a fault) and dry runs write nothing.
  if (exitCodeOf(judged) !== 0 || opts.dryRun) return { result: { ...judged, written: false, records: [] } };

  const records = await sealRecords(opts, cur, plan, next, results, actor);
  const log = auditPath(cur.layout, plan.model);
  crashPoint('before-write');
  // Order matters for crash safety: the audit log first, then the manifest. A crash between
  // the two leaves a record the manifest does not show; `audit verify` reports it and the next
  // command refuses to build on it (assertBuildable). A write that fails (a full disk) takes
  // back the one before it: nothing is changed.
  const logWrite = await appendRecords(join(cur.root, log), records);
  const manifestWrite = await writeFileAtomic(join(cur.root, file), plan.text).catch(async (err: unknown) => {
    throw await takeBack(cur.root, [], [logWrite], err);
  });
  crashPoint('before-commit');
  return {
    result: { ...judged, written: true, records },
    change: { files: [file, log, ...(plan.files ?? [])], message: commitMessage(records, opts.reason), writes: [logWrite, manifestWrite] },
  };
}

async function sealRecords(
  opts: ApplyOptions,
  cur: Current,
  plan: Plan,
  next: LoadedManifest,
  results: TransitionResult[],
  actor: string,
): Promise<AuditRecord[]> {
  const runUrl = ciRunUrl(opts.env);
  const fields = changeRecords(
    {
      time: opts.now.toISOString(),
      actor,
      model: plan.model,
      manifest: next.manifest,
      before: cur.manifest?.manifest,
      reason: opts.reason,
      policy: await policyDigest(cur.trusted, selectPolicies(cur.policies, plan.model)),
      source: {
        ...(opts.source ?? {}),
        ...(opts.source?.approvals ? {} : { approvals: [actor] }),
        ...(runUrl && !opts.source?.run_url ? { run_url: runUrl } : {}),
      },
    },
    results,
    plan.actionOf,
    removedAliases(cur.manifest?.manifest, next.manifest),
  );
  return sealChain(fields, cur.audit?.last ? { seq: cur.audit.last.seq, hash: cur.audit.last.hash } : undefined);
}

export type { Plan as ApplyPlan };
export { buildContext };
/** Kept for callers of the old home (takeBack lives with the change it takes back). */
export { takeBack };
