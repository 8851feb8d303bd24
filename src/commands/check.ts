/**
 * `check`: derive the transitions between a base state (a git ref; policies are read from it,
 * always) and a head state (a ref or the working tree), and judge each against the policies.
 * `check --all` re-judges every version's current stage against today's policies (drift).
 */
import type { CheckReport, Transition, TransitionResult } from '../transitions/types';
import type { CheckResult } from '../policy/types';
import type { ApprovalSource } from '../policy/context';
import type { LoadedManifest } from '../manifest/types';
import { deriveTransitions, isGated } from '../transitions/derive';
import { evaluateTransition } from '../policy/evaluate';
import { policyUnchangedCheck } from '../policy/enforcement';
import { CONFIG_FILE, assertPlainLayout, assertPlainRegistryFile, auditPath, listModels, manifestPath, modelOfAuditPath, modelOfPath, readLayout, readManifest, readPolicies, type RegistryLayout } from '../repo/registry';
import { InputError } from '../errors';
import { git } from '../git/exec';
import { GitState } from '../repo/gitState';
import type { RepoState } from '../repo/types';
import { readAuditState } from './auditState';
import { changedPaths } from '../repo/changes';
import { buildContext, RunCache, type EvaluationDeps } from './evaluation';
import { openStates, type States } from './states';
import type { CommonOptions } from './options';

export interface CheckOptions extends CommonOptions {
  base?: string;
  head?: string;
  all?: boolean;
  approvals?: ApprovalSource;
  resolveTeam?: (team: string) => Promise<string[]>;
  onProgress?: (text: string) => void;
}

export interface CheckOutcome {
  report: CheckReport;
  exitCode: 0 | 1;
}

export async function runCheck(opts: CheckOptions): Promise<CheckOutcome> {
  const states = await openStates(opts.repo, opts.base ?? 'HEAD', opts.head);
  try {
    return opts.all ? await checkAll(states, opts) : await checkChange(states, opts);
  } finally {
    states.close();
  }
}

async function checkChange(states: States, opts: CheckOptions): Promise<CheckOutcome> {
  const layout = await readLayout(states.base); // trusted: from base
  const policies = await readPolicies(states.base, layout);
  const changed = await changedPaths(states.root, states.base.commit!, states.head.commit, [layout.registry, layout.policies, layout.audit, CONFIG_FILE]);
  // A link or a submodule the change makes of a registry file or directory would hide what it
  // points at from this diff and from every later one: refused, whatever the path (SPEC §1).
  await assertPlainLayout(states.head, layout);
  await Promise.all(changed.map((p) => assertPlainRegistryFile(states.head, layout, p)));

  const global: CheckResult[] = [];
  const policyChanges = changed.filter((p) => p === CONFIG_FILE || p.startsWith(`${layout.policies}/`));
  if (policyChanges.length > 0) global.push(policyUnchangedCheck(policyChanges, policies));

  const deps = evaluationDeps(states, opts, layout, policies);
  const runs = new RunCache(opts.env);
  const results: TransitionResult[] = [];
  const models = [...new Set(changed.map((p) => modelOfPath(layout, p) ?? modelOfAuditPath(layout, p)).filter((m): m is string => m !== undefined))];
  const fork = models.length ? await forkPoint(states) : states.base;
  try {
    for (const model of models) {
      await assertAuditIntact(states.head, fork, layout, model);
      const base = await readManifest(states.base, layout, model, { singleProduction: false });
      const head = await readManifest(states.head, layout, model, { singleProduction: false });
      for (const t of deriveTransitions(model, base?.manifest, head?.manifest)) {
        if (!isGated(t)) continue;
        results.push(await judge(deps, runs, t, head, base, { refuseUnsafePaths: true }));
      }
    }
  } finally {
    if (fork !== states.base) fork.close?.();
  }
  return results.length ? outcome(results.map((r) => withChangeChecks(r, global)), []) : outcome(results, global);
}

/**
 * Checks of the change as a whole (`policy.unchanged`) judge each transition it carries, so they
 * sit in each transition's `checks` with the policy checks (SPEC section 5's JSON shape); only a
 * change with no transition reports them at the top level.
 */
function withChangeChecks(r: TransitionResult, change: CheckResult[]): TransitionResult {
  if (change.length === 0) return r;
  return { ...r, checks: [...r.checks, ...change], ...(change.some((c) => c.status === 'fail') ? { decision: 'deny' as const } : {}) };
}

async function checkAll(states: States, opts: CheckOptions): Promise<CheckOutcome> {
  const layout = await readLayout(states.base);
  const policies = await readPolicies(states.base, layout);
  // Drift: today's state judged as if each version were entering the stage it holds, with
  // itself as the base (so relative checks and soak compare nothing with themselves).
  const deps = evaluationDeps({ ...states, base: states.head }, opts, layout, policies);
  const runs = new RunCache(opts.env);
  const results: TransitionResult[] = [];
  for (const model of await listModels(states.head, layout)) {
    const head = await readManifest(states.head, layout, model, { singleProduction: false });
    if (!head) continue;
    for (const v of head.manifest.versions) {
      if (v.stage === 'None') continue;
      const t: Transition = { model, version: v.version, kind: 'stage', from: v.stage, to: v.stage, via: 'drift' };
      results.push(await judge(deps, runs, t, head, head, { refuseUnsafePaths: true }));
    }
  }
  return outcome(results, []);
}

function evaluationDeps(states: States, opts: CheckOptions, layout: Awaited<ReturnType<typeof readLayout>>, policies: EvaluationDeps['policies']): EvaluationDeps {
  return {
    root: states.root,
    layout,
    base: states.base,
    head: states.head,
    policies,
    now: opts.now,
    approvals: opts.approvals ?? { kind: 'none' },
    ...(opts.resolveTeam ? { resolveTeam: opts.resolveTeam } : {}),
    env: opts.env,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  };
}

/**
 * The state a change started from: the merge base of base and head (the working tree builds on
 * HEAD). Usually base itself; when the head branch is behind its base (checked out without
 * merging), the logs must be compared with what the branch started from, not with records
 * merged into base since.
 */
async function forkPoint(states: States): Promise<RepoState> {
  const headCommit = states.head.commit ?? 'HEAD';
  const r = await git(['merge-base', '--end-of-options', states.base.commit!, headCommit], { cwd: states.root, allowFail: true });
  const sha = r.stdout.trim();
  if (r.code !== 0 || sha === '' || sha === states.base.commit) return states.base; // unrelated or shallow: base
  return GitState.open(states.root, sha);
}

/**
 * A change is never judged on top of a broken audit trail (SPEC section 7: "refuse to build on a
 * broken chain"), and may only append to the log it started from: an edited, deleted, reordered
 * or duplicated record, a truncated log, or a deleted one is an input error naming the problem.
 * Only the models a change touches are read, so the cost follows the change.
 */
async function assertAuditIntact(head: RepoState, fork: RepoState, layout: RegistryLayout, model: string): Promise<void> {
  const file = auditPath(layout, model);
  const before = await readAuditState(fork, file, model);
  const after = await readAuditState(head, file, model, before?.last ? { hashOfSeq: before.last.seq } : {});
  const broken = (why: string, line?: number) =>
    new InputError(`the audit chain of ${model} is broken: ${why}`, {
      location: { file, ...(line !== undefined ? { line } : {}) },
      hint: `run \`modelgate audit verify ${model}\` to see every problem, and restore the log from git history before judging changes to this model`,
    });
  const problem = after?.problems[0];
  if (problem) throw broken(problem.message, problem.line);
  // Nothing to extend, or the change repairs a log that was already broken.
  if (!before?.last || before.problems.length > 0) return;
  if (!after) throw broken(`the change deletes ${file}, which holds ${before.count} record${before.count === 1 ? '' : 's'}`);
  if (after.hashOfSeq !== before.last.hash) {
    throw broken(`the change rewrites records that are already in ${file} at ${fork.commit?.slice(0, 12) ?? 'base'} (record ${before.last.seq} differs or is gone): audit logs are only appended to`);
  }
}

export async function judge(
  deps: EvaluationDeps,
  runs: RunCache,
  t: Transition,
  head: LoadedManifest | undefined,
  base: LoadedManifest | undefined,
  opts: { refuseUnsafePaths?: boolean } = {},
): Promise<TransitionResult> {
  const subject = (head ?? base)!;
  const ctx = buildContext(deps, runs, t, subject, base);
  const result = await evaluateTransition(opts.refuseUnsafePaths ? { ...ctx, refuseUnsafePaths: true } : ctx);
  // The engine turns every loader failure into a 'could not evaluate' deny; an environment
  // failure (S3, git) must instead end the command with exit 3 (SPEC §5).
  runs.throwFault();
  const line = head?.stageLines.get(t.version) ?? head?.versionLines.get(t.version) ?? base?.versionLines.get(t.version);
  return { ...result, file: subject.file, ...(line !== undefined ? { line } : {}) };
}

export function outcome(results: TransitionResult[], global: CheckResult[]): CheckOutcome {
  const denied = results.filter((r) => r.decision === 'deny').length + (global.some((c) => c.status === 'fail') ? 1 : 0);
  const warnings =
    results.reduce((n, r) => n + r.checks.filter((c) => c.status === 'warn').length, 0) + global.filter((c) => c.status === 'warn').length;
  const decision = denied > 0 ? 'deny' : 'allow';
  const report: CheckReport = {
    schemaVersion: 1,
    decision,
    summary: { transitions: results.length, allowed: results.length - results.filter((r) => r.decision === 'deny').length, denied, warnings },
    transitions: results,
    ...(global.length ? { checks: global } : {}),
  };
  return { report, exitCode: decision === 'deny' ? 1 : 0 };
}

export { manifestPath };
