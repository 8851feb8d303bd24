/**
 * `check`: derive the transitions between a base state (a git ref; policies are read from it,
 * always) and a head state (a ref or the working tree), and judge each against the policies.
 * `check --all` re-judges every version's current stage against today's policies (drift).
 */
import type { Transition } from '../transitions/types';
import type { CheckReport, TransitionResult, CheckResult } from '../policy/types';
import type { ApprovalSource } from '../policy/context';
import type { LoadedManifest } from '../manifest/types';
import { deriveTransitions, isGated, removedAliases } from '../transitions/derive';
import { evaluateTransition } from '../policy/evaluate';
import { selectPolicies } from '../policy/select';
import { evalBudgetMs, outOfTime, outOfTimeFault, withinBudget } from './evalBudget';
import { policyUnchangedCheck } from '../policy/enforcement';
import { CONFIG_FILE, assertPlainLayout, assertPlainRegistryFile, auditPath, listModels, manifestPath, modelOfAuditPath, modelOfPath, readLayout, readManifest, readPolicies, type RegistryLayout } from '../repo/registry';
import { EnvironmentError, InputError } from '../errors';
import { git } from '../git/exec';
import { commitTime } from '../git/history';
import { GitState } from '../repo/gitState';
import type { RepoState } from '../repo/types';
import { readAuditState } from './auditState';
import type { AuditRecord } from '../audit/types';
import type { ReplayState } from '../audit/replay';
import { appendedProblems } from '../audit/appended';
import { changedFiles } from '../repo/changes';
import { findMutations, type MutationScope } from './immutability';
import { immutableMessage, type Mutation } from '../transitions/immutable';
import { buildContext, RunCache, versionEvidence, type EvaluationDeps } from './evaluation';
import { openStates, type States } from './states';
import type { CommonOptions } from './options';
import type { Outcome } from './outcome';

export interface CheckOptions extends CommonOptions {
  base?: string;
  head?: string;
  all?: boolean;
  approvals?: ApprovalSource;
  resolveTeam?: (team: string) => Promise<string[]>;
  onProgress?: (text: string) => void;
}

export interface CheckOutcome extends Outcome {
  report: CheckReport;
  /** The verdict, computed once (outcome()); the report says the same. */
  decision: 'allow' | 'deny';
  /** Environment failures met while judging: the command has no verdict (exit 3). */
  faults: Error[];
}

/** One transition judged, and the faults met judging it. */
export interface Judged {
  result: TransitionResult;
  faults: Error[];
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
  const all = await changedFiles(states.root, states.base.commit!, states.head.commit);
  // A change that moves the registry or the audit logs is judged across layouts (SPEC section 4):
  // each model's base manifest (base layout) against its head manifest (head layout).
  const headLayout = all.has(CONFIG_FILE) ? await readLayout(states.head) : layout;
  const watched = [...new Set([layout.registry, layout.policies, layout.audit, headLayout.registry, headLayout.audit])].map((d) => `${d}/`);
  const changed = [...all.keys()].filter((p) => p === CONFIG_FILE || watched.some((d) => p.startsWith(d))).sort();
  // A link or a submodule the change makes of a registry file or directory would hide what it
  // points at from this diff and from every later one: refused, whatever the path (SPEC §1).
  await assertPlainLayout(states.head, headLayout);
  await Promise.all(changed.flatMap((p) => [assertPlainRegistryFile(states.head, layout, p), assertPlainRegistryFile(states.head, headLayout, p)]));

  const global: CheckResult[] = [];
  const policyChanges = changed.filter((p) => p === CONFIG_FILE || p.startsWith(`${layout.policies}/`));
  if (policyChanges.length > 0) global.push(policyUnchangedCheck(policyChanges, policies));

  const manifests = manifestCache(states, layout, headLayout);
  const mutations = await findMutations({ root: states.root, base: states.base, head: states.head, layout, headLayout, changed: all, manifests });
  const deps = evaluationDeps(states, opts, layout, policies);
  const runs = new RunCache(opts.env);
  const results: TransitionResult[] = [];
  const moved = headLayout.registry !== layout.registry || headLayout.audit !== layout.audit;
  const models = [
    ...new Set(
      [
        ...changed.map((p) => modelOfRegistryPath(layout, p) ?? modelOfRegistryPath(headLayout, p)),
        ...mutations.map((m) => m.model),
        // Moved: every model of either layout, also those the change left behind.
        ...(moved ? [...(await layoutModels(states.base, layout)), ...(await layoutModels(states.head, headLayout))] : []),
      ].filter((m): m is string => m !== undefined),
    ),
  ];
  const fork = models.length ? await forkPoint(states) : states.base;
  try {
    const window = { notBefore: await commitTime(states.root, fork.commit ?? states.base.commit!), notAfter: opts.now };
    for (const model of models) {
      const audit = await assertAuditIntact(states.head, fork, { base: layout, head: headLayout }, model);
      const { base, head } = await manifests(model);
      const transitions = deriveTransitions(model, base?.manifest, head?.manifest);
      const judged: TransitionResult[] = [];
      for (const t of transitions) {
        if (!isGated(t)) continue;
        const j = await judge(deps, runs, t, head, base, { refuseUnsafePaths: true });
        // A fault ends the judging: there is no verdict to give, and the rest would meet it again.
        if (j.faults.length) return outcome(results, global, j.faults);
        judged.push(j.result);
      }
      for (const m of mutations.filter((x) => x.model === model)) judged.push(...withMutation(judged, m, head ?? base));
      if (audit && audit.appended.length > 0) {
        const check = appendedCheck(model, appendedProblems({ model, ...audit, transitions, removedAliases: removedAliases(base?.manifest, head?.manifest), ...window, head: head?.manifest }));
        if (judged.length === 0 || check.status === 'fail') global.push(check);
        else for (const r of judged) r.checks = [...r.checks, check];
      }
      results.push(...judged);
    }
  } finally {
    if (fork !== states.base) fork.close?.();
  }
  return results.length ? outcome(results.map((r) => withChangeChecks(r, global)), []) : outcome(results, global);
}

/**
 * `audit.appended` (deny; never lowered or waived: added after the policies applied). A failure
 * judges the change as a whole: records that are not the change's own deny all of it.
 */
function appendedCheck(model: string, problems: string[]): CheckResult {
  if (problems.length === 0) {
    return { id: 'audit.appended', status: 'pass', level: 'deny', message: `the records appended to the audit log of ${model} are this change's own transitions` };
  }
  return {
    id: 'audit.appended',
    status: 'fail',
    level: 'deny',
    message: `the audit log of ${model} gains records that are not this change's own: ${problems.join('; ')}; records are appended by modelgate (promote --commit, record after merge), never written by hand`,
    actual: problems,
  };
}

/** Models with a manifest or an audit log in a state's layout. */
async function layoutModels(state: RepoState, layout: RegistryLayout): Promise<string[]> {
  const logs = ((await state.list(layout.audit)) ?? []).filter((n) => n.endsWith('.jsonl')).map((n) => n.slice(0, -'.jsonl'.length));
  return [...(await listModels(state, layout)), ...logs];
}

/** The model a manifest or audit log path names in a layout. */
function modelOfRegistryPath(layout: RegistryLayout, path: string): string | undefined {
  return modelOfPath(layout, path) ?? modelOfAuditPath(layout, path);
}

/** Each model's manifests in base and head, read once however many steps ask. */
function manifestCache(states: States, layout: RegistryLayout, headLayout: RegistryLayout): MutationScope['manifests'] {
  const cache = new Map<string, Promise<{ base: LoadedManifest | undefined; head: LoadedManifest | undefined }>>();
  return (model) => {
    let p = cache.get(model);
    if (!p) {
      p = Promise.all([
        readManifest(states.base, layout, model, { singleProduction: false }),
        readManifest(states.head, headLayout, model, { singleProduction: false }),
      ]).then(([base, head]) => ({ base, head }));
      cache.set(model, p);
    }
    return p;
  };
}

/**
 * A registered version the change alters fails `version.immutable` (deny; no enforcement
 * override or waiver reaches it: it is added after the policies are applied). A version that
 * also moves carries the failure on that transition; one that keeps its stage gets a transition
 * of its own (`modify`), so the change cannot pass by moving nothing.
 */
function withMutation(results: TransitionResult[], m: Mutation, manifest: LoadedManifest | undefined): TransitionResult[] {
  const check: CheckResult = { id: 'version.immutable', status: 'fail', level: 'deny', message: immutableMessage(m), actual: m.changes };
  const moving = results.filter((r) => r.model === m.model && r.version === m.version);
  for (const r of moving) {
    r.checks = [...r.checks, check];
    r.decision = 'deny';
  }
  if (moving.length) return [];
  const line = manifest?.versionLines.get(m.version);
  return [
    {
      model: m.model,
      version: m.version,
      kind: 'modify',
      from: m.stage,
      to: m.stage,
      decision: 'deny',
      checks: [check],
      ...(manifest ? { file: manifest.file } : {}),
      ...(line !== undefined ? { line } : {}),
    },
  ];
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
      const j = await judge(deps, runs, t, head, head, { refuseUnsafePaths: true });
      if (j.faults.length) return outcome(results, [], j.faults);
      results.push(j.result);
    }
    // An alias that has rules is re-judged by them where its version stands today (an alias
    // left on a version its `from` rule refuses is drift too).
    const governing = selectPolicies(policies, model);
    for (const [alias, version] of Object.entries(head.manifest.aliases)) {
      if (!governing.some((p) => p.doc.rules?.[`@${alias}`] !== undefined)) continue;
      const stage = head.manifest.versions.find((x) => x.version === version)?.stage ?? null;
      const t: Transition = { model, version, kind: 'alias', from: stage, to: `@${alias}`, via: 'drift' };
      const j = await judge(deps, runs, t, head, head, { refuseUnsafePaths: true });
      if (j.faults.length) return outcome(results, [], j.faults);
      results.push(j.result);
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

/** What a change appends to a model's log, and the head log replayed. */
interface AuditAppend {
  appended: AuditRecord[];
  replay: ReplayState;
}

/**
 * A change is never judged on top of a broken audit trail (SPEC section 7: "refuse to build on a
 * broken chain"), and may only append to the log it started from: an edited, deleted, reordered
 * or duplicated record, a truncated log, or a deleted one is an input error naming the problem.
 * Only the models a change touches are read, so the cost follows the change. Returns what the
 * change appends, for `audit.appended`.
 */
async function assertAuditIntact(head: RepoState, fork: RepoState, layouts: { base: RegistryLayout; head: RegistryLayout }, model: string): Promise<AuditAppend | undefined> {
  // A moved log must be carried over unchanged: the head log in its new place starts with the base log.
  const baseFile = auditPath(layouts.base, model);
  const file = auditPath(layouts.head, model);
  const before = await readAuditState(fork, baseFile, model);
  const after = await readAuditState(head, file, model, before?.last ? { hashOfSeq: before.last.seq, collectAfterSeq: before.last.seq } : { collectAfterSeq: 0 });
  const broken = (why: string, line?: number) =>
    new InputError(`the audit chain of ${model} is broken: ${why}`, {
      location: { file, ...(line !== undefined ? { line } : {}) },
      hint: `run \`modelgate audit verify ${model}\` to see every problem, and restore the log from git history before judging changes to this model`,
    });
  const problem = after?.problems[0];
  if (problem) throw broken(problem.message, problem.line);
  const appended = after ? { appended: after.appended ?? [], replay: after.replay } : undefined;
  // Nothing to extend, or the change repairs a log that was already broken.
  if (!before?.last || before.problems.length > 0) return appended;
  if (!after) throw broken(`the change deletes ${file}, which holds ${before.count} record${before.count === 1 ? '' : 's'}`);
  if (after.hashOfSeq !== before.last.hash) {
    throw broken(`the change rewrites records that are already in ${file} at ${fork.commit?.slice(0, 12) ?? 'base'} (record ${before.last.seq} differs or is gone): audit logs are only appended to`);
  }
  return appended;
}

export async function judge(
  deps: EvaluationDeps,
  runs: RunCache,
  t: Transition,
  head: LoadedManifest | undefined,
  base: LoadedManifest | undefined,
  opts: { refuseUnsafePaths?: boolean; outOfTimeIsFault?: boolean } = {},
): Promise<Judged> {
  const subject = (head ?? base)!;
  const evaluate = async (): Promise<Judged> => {
    const ctx = buildContext(deps, runs, t, subject, base);
    const { result, faults } = await evaluateTransition(opts.refuseUnsafePaths ? { ...ctx, refuseUnsafePaths: true } : ctx);
    const evidence = await evidenceCheck(deps, t, head, base);
    if (evidence.check) {
      result.checks = [...result.checks, evidence.check];
      if (evidence.check.status === 'fail') result.decision = 'deny';
    }
    return { result, faults: [...faults, ...evidence.faults] };
  };
  const budget = evalBudgetMs(deps.env);
  const judged = await withinBudget(budget, evaluate());
  // Past its budget a transition is a `could not evaluate` deny; faults met in time (S3, git
  // failing) come back as data: the caller ends with exit 3 (SPEC §5).
  // `record` cannot leave a deny in the append-only log for a slow S3: out of time is a fault there.
  const { result, faults } = judged?.value ?? { result: outOfTime(t, budget), faults: opts.outOfTimeIsFault ? [outOfTimeFault(t, budget)] : [] };
  const line = head?.stageLines.get(t.version) ?? head?.versionLines.get(t.version) ?? base?.versionLines.get(t.version);
  return { result: { ...result, file: subject.file, ...(line !== undefined ? { line } : {}) }, faults };
}

/**
 * `run.evidence` (SPEC section 4): the version's evidence files still hash to its pinned
 * `evidence` digest, read where the version is judged (base for a registered version). Evaluated
 * when the version has one; a failure names both digests. Not a policy rule: no override lowers it.
 */
async function evidenceCheck(deps: EvaluationDeps, t: Transition, head: LoadedManifest | undefined, base: LoadedManifest | undefined): Promise<{ check?: CheckResult; faults: Error[] }> {
  // Leaving service needs no evidence: a version whose files broke can still be archived.
  if (t.kind === 'remove' || t.kind === 'modify' || t.to === 'Archived') return { faults: [] };
  const inBase = base?.manifest.versions.find((v) => v.version === t.version);
  const v = inBase ?? head?.manifest.versions.find((x) => x.version === t.version);
  if (!v?.evidence) return { faults: [] };
  const id = 'run.evidence';
  try {
    const now = await versionEvidence(inBase ? deps.base : deps.head, v, deps.env);
    if (now.digest === v.evidence) return { check: { id, status: 'pass', level: 'deny', message: `the evidence of ${t.model} v${t.version} matches its digest (${now.files.length} files)`, actual: now.digest, expected: v.evidence }, faults: [] };
    return {
      check: {
        id,
        status: 'fail',
        level: 'deny',
        message: `the evidence of ${t.model} v${t.version} no longer matches its digest: the run's files hash to ${now.digest}, the manifest pins ${v.evidence}; register a new version for new evidence`,
        actual: now.digest,
        expected: v.evidence,
      },
      faults: [],
    };
  } catch (err) {
    const check: CheckResult = { id, status: 'fail', level: 'deny', message: `could not evaluate: the evidence of ${t.model} v${t.version}: ${(err as Error).message}`, expected: v.evidence };
    return { check, faults: err instanceof EnvironmentError ? [err] : [] };
  }
}

export function outcome(results: TransitionResult[], global: CheckResult[], faults: Error[] = []): CheckOutcome {
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
  return { report, decision, faults };
}

export { manifestPath };
