/**
 * The policy engine: judges one transition against the policies that govern its model and
 * returns every verdict as data (SPEC sections 4, 5 and 7). Pure apart from the lazy loaders of
 * the EvaluationContext, each called only when a policy needs it; a loader's failure becomes
 * the `could not evaluate:` failure of the checks that needed it, and one the context marks as
 * the environment's (LoaderFault) is returned as a fault next to the results. Only a bug throws.
 */
import type { ModelVersion } from '../manifest/types';
import type { RunRecord } from '../runs/types';
import type { TransitionResult } from '../policy/types';
import type { EvaluationContext } from './context';
import type { LoadedPolicy, Target } from './types';
import { selectPolicies } from './select';
import { applyEnforcement } from './enforcement';
import { Evidence, type RuleInput } from './checks/input';
import { Sources } from './checks/sources';
import type { RawCheck } from './checks/verdict';
import { policyCovered } from './checks/coverage';
import { aliasesKept, removalAllowed, singleProduction, transitionAllowed } from './checks/transitionGraph';
import { runChecks } from './checks/runMetadata';
import { signatureChecks } from './checks/signature';
import { metricChecks } from './checks/metrics';
import { soakCheck } from './checks/soak';
import { approvalsCheck } from './checks/approvals';
import { artifactChecks } from './checks/artifact';
import { retentionCheck } from './checks/retention';

export type Evaluation = Omit<TransitionResult, 'file' | 'line'>;

/** What the engine returns, like conftest: the verdicts, and next to them the faults (LoaderFault) met reaching them. */
export interface Judgement {
  result: Evaluation;
  faults: Error[];
}

/** Rule families in report order. */
const FAMILIES: ((input: RuleInput) => Promise<RawCheck[]>)[] = [runChecks, signatureChecks, metricChecks, soakCheck, approvalsCheck, artifactChecks];

export async function evaluateTransition(ctx: EvaluationContext): Promise<Judgement> {
  const t = ctx.transition;
  const applicable = selectPolicies(ctx.policies, t.model);
  const sources = new Sources(ctx);
  const evidence = new Evidence();
  const subject = subjectOf(ctx);

  const raw: RawCheck[] = [];
  if (t.to === null) {
    raw.push(removalAllowed(t));
  } else {
    const target: Target = t.to;
    raw.push(policyCovered(t, target, applicable));
    raw.push(...transitionAllowed(t, target, applicable));
    raw.push(...singleProduction(t, ctx.head));
    raw.push(...aliasesKept(t, ctx.head, ctx.base, applicable));
    for (const policy of applicable) {
      const rules = policy.doc.rules?.[target];
      if (!rules) continue;
      const input: RuleInput = { transition: t, target, policy, rules, subject, sources, evidence, approvals: ctx.approvals, now: ctx.now };
      for (const family of FAMILIES) raw.push(...owned(policy, await family(input)));
    }
  }
  for (const policy of applicable) raw.push(...owned(policy, await retentionCheck(t, policy, sources, ctx.now)));

  const checks = applyEnforcement(dedupe(raw), {
    policies: applicable,
    model: t.model,
    version: t.version,
    now: ctx.now,
    ...(t.via ? { via: t.via } : {}),
  });
  const run = await sources.runIfRead();
  const proof = evidence.toResult();
  const result: Evaluation = {
    ...t,
    decision: checks.some((c) => c.status === 'fail') ? 'deny' : 'allow',
    checks,
    ...(run ? { lineage: await lineage(run, subject) } : {}),
    ...(proof ? { evidence: proof } : {}),
  };
  return { result, faults: sources.faults() };
}

/** The manifest entry judged: head's, or base's for a removed version. */
function subjectOf(ctx: EvaluationContext): ModelVersion | undefined {
  const find = (versions: ModelVersion[] | undefined) => versions?.find((x) => x.version === ctx.transition.version);
  return find(ctx.head.manifest.versions) ?? find(ctx.base?.manifest.versions);
}

function owned(policy: LoadedPolicy, checks: RawCheck[]): RawCheck[] {
  return checks.map((c) => ({ ...c, policy: policy.file }));
}

const SEVERITY: Record<RawCheck['status'], number> = { fail: 2, pass: 1, skipped: 0 };

/**
 * One check per (policy, check id): rules merged from presets, or a glob and an explicit name,
 * can ask for the same check twice. The first keeps its place; the worse verdict wins; two
 * different failures keep both messages.
 */
function dedupe(raw: RawCheck[]): RawCheck[] {
  const index = new Map<string, number>();
  const out: RawCheck[] = [];
  for (const c of raw) {
    const key = `${c.policy ?? ''}\0${c.id}`;
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, out.length);
      out.push(c);
    } else if (SEVERITY[c.status] > SEVERITY[out[at]!.status]) {
      out[at] = c;
    } else if (c.status === 'fail' && out[at]!.status === 'fail' && !out[at]!.message.includes(c.message)) {
      // Two different reasons for the same failure (a stage move and an alias kept on the
      // version, say): the user needs both to fix it.
      out[at] = { ...out[at]!, message: `${out[at]!.message}; ${c.message}` };
    }
  }
  return out;
}

/**
 * Where the judged version came from. Its tags are read by key like any check's; a tag that
 * cannot be read (past MLflow's limit) is left out: lineage reports, it does not judge.
 */
async function lineage(run: RunRecord, subject: ModelVersion | undefined): Promise<NonNullable<TransitionResult['lineage']>> {
  const tag = async (k: string) => {
    const value = await run.tags.get(k).catch(() => undefined);
    return value === '' ? undefined : value;
  };
  const dataVersion = await tag('data_version');
  const gitCommit = (await tag('mlflow.source.git.commit')) ?? (await tag('git_commit'));
  const artifact = subject?.artifact ?? run.artifact;
  return {
    run: subject?.run ?? run.ref,
    runId: run.runId,
    ...(dataVersion !== undefined ? { dataVersion } : {}),
    ...(gitCommit !== undefined ? { gitCommit } : {}),
    ...(artifact !== undefined ? { artifact } : {}),
    ...(subject?.digest !== undefined ? { digest: subject.digest } : {}),
  };
}
