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
import { CONFIG_FILE, listModels, manifestPath, modelOfPath, readLayout, readManifest, readPolicies } from '../repo/registry';
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
  const changed = await changedPaths(states.root, states.base.commit!, states.head.commit, [layout.registry, layout.policies, CONFIG_FILE]);

  const global: CheckResult[] = [];
  const policyChanges = changed.filter((p) => p === CONFIG_FILE || p.startsWith(`${layout.policies}/`));
  if (policyChanges.length > 0) global.push(policyUnchangedCheck(policyChanges, policies));

  const deps = evaluationDeps(states, opts, layout, policies);
  const runs = new RunCache(opts.env);
  const results: TransitionResult[] = [];
  const models = [...new Set(changed.map((p) => modelOfPath(layout, p)).filter((m): m is string => m !== undefined))];
  for (const model of models) {
    const base = await readManifest(states.base, layout, model, { singleProduction: false });
    const head = await readManifest(states.head, layout, model, { singleProduction: false });
    for (const t of deriveTransitions(model, base?.manifest, head?.manifest)) {
      if (!isGated(t)) continue;
      results.push(await judge(deps, runs, t, head, base));
    }
  }
  return outcome(results, global);
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
      results.push(await judge(deps, runs, t, head, head));
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

export async function judge(
  deps: EvaluationDeps,
  runs: RunCache,
  t: Transition,
  head: LoadedManifest | undefined,
  base: LoadedManifest | undefined,
): Promise<TransitionResult> {
  const subject = (head ?? base)!;
  const result = await evaluateTransition(buildContext(deps, runs, t, subject, base));
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
