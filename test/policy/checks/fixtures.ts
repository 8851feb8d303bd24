/** Hand-built evaluation contexts for the policy engine's unit tests (no I/O). */
import { NotFoundError } from '../../../src/errors';
import type { LoadedManifest, ModelVersion, Stage } from '../../../src/manifest/types';
import type { PlainRun, RunRecord, Signature, Spec } from '../../../src/runs/types';
import { fromPlain } from '../../../src/runs/values';
import type { ApprovalSource, ArtifactCheck, EvaluationContext } from '../../../src/policy/context';
import type { CheckResult, LoadedPolicy, PolicyDoc, Target, TransitionResult } from '../../../src/policy/types';
import type { Transition } from '../../../src/transitions/types';
import { evaluateTransition } from '../../../src/policy/evaluate';

export const MODEL = 'churn-predictor';
export const NOW = new Date('2026-11-22T10:00:00Z');

export function policy(file: string, doc: Partial<PolicyDoc> = {}): LoadedPolicy {
  return { file, doc: { apiVersion: 'modelgate/v1', kind: 'Policy', name: file, ...doc }, sources: [file] };
}

export function manifest(versions: (Partial<ModelVersion> & { version: number; stage: Stage })[], aliases: Record<string, number> = {}): LoadedManifest {
  const vs = versions.map((v) => ({ run: `runs/${v.version}.json`, ...v }));
  return {
    file: `registry/${MODEL}.yaml`,
    manifest: { name: MODEL, versions: vs, aliases },
    versionLines: new Map(vs.map((v, i) => [v.version, 10 + i * 4])),
    stageLines: new Map(vs.map((v, i) => [v.version, 13 + i * 4])),
    aliasLines: new Map(),
  };
}

export function columns(...specs: [string | undefined, string, boolean?][]): Spec[] {
  return specs.map(([name, type, required = true]) => ({ kind: 'column', ...(name !== undefined ? { name } : {}), type, required }));
}

export function signature(inputs: Spec[] | null): RunRecord['signature'] {
  const sig: Signature = { inputs, outputs: null, params: null };
  return { state: 'found', signature: sig, source: 'artifacts/model/MLmodel' };
}

/** A run with its values in hand; the context hands the engine a RunRecord over it (fromPlain). */
export function run(version: number, over: Partial<PlainRun> = {}): PlainRun {
  return {
    format: 'json',
    ref: `runs/${version}.json`,
    runId: `run${version}`,
    status: 'FINISHED',
    params: {},
    metrics: {},
    tags: {},
    signature: signature(columns(['age', 'long'])),
    history: async function* () {},
    ...over,
  };
}

export interface Fixture {
  transition: Partial<Transition> & Pick<Transition, 'version' | 'from' | 'to'>;
  policies: LoadedPolicy[];
  head: LoadedManifest;
  base?: LoadedManifest;
  /** Runs by version; an Error is thrown by the loader; missing → NotFoundError. */
  runs?: Record<number, PlainRun | Error>;
  approvals?: ApprovalSource;
  teams?: Record<string, string[] | Error>;
  artifact?: ArtifactCheck | Error;
  entered?: Date | Error;
  archived?: Record<number, Date> | Error;
  now?: Date;
}

/** What the engine asked the context for, to assert laziness. */
export type Calls = string[];

export function context(f: Fixture, calls: Calls = []): EvaluationContext {
  const t: Transition = { model: MODEL, kind: 'stage', ...f.transition };
  const runOf = async (version: number, ref: string): Promise<RunRecord> => {
    calls.push(`run:${version}`);
    const r = f.runs?.[version];
    if (r instanceof Error) throw r;
    if (!r) throw new NotFoundError(`run ${ref} not found`);
    return fromPlain(r);
  };
  const versionAt = (target: Target): ModelVersion | undefined => {
    const m = f.base?.manifest;
    if (!m) return undefined;
    if (target.startsWith('@')) return m.versions.find((v) => v.version === m.aliases[target.slice(1)]);
    return m.versions.find((v) => v.stage === target);
  };
  return {
    transition: t,
    head: f.head,
    base: f.base,
    policies: f.policies,
    now: f.now ?? NOW,
    run: () => runOf(t.version, `runs/${t.version}.json`),
    baseline: async (target) => {
      calls.push(`baseline:${target}`);
      const v = versionAt(target);
      return v ? { version: v, run: () => runOf(v.version, v.run) } : undefined;
    },
    enteredStageAt: async () => {
      calls.push('entered');
      if (f.entered instanceof Error) throw f.entered;
      return f.entered;
    },
    approvals: f.approvals ?? { kind: 'none' },
    resolveTeam: async (team) => {
      calls.push(`team:${team}`);
      const members = f.teams?.[team];
      if (members instanceof Error) throw members;
      if (!members) throw new Error(`unknown team ${team}`);
      return members;
    },
    artifact: async () => {
      calls.push('artifact');
      if (f.artifact instanceof Error) throw f.artifact;
      if (!f.artifact) throw new Error('no artifact in this fixture');
      return f.artifact;
    },
    archivedAt: async (version) => {
      calls.push(`archived:${version}`);
      if (f.archived instanceof Error) throw f.archived;
      return f.archived?.[version];
    },
  };
}

export async function evaluate(f: Fixture, calls?: Calls): Promise<Omit<TransitionResult, 'file' | 'line'>> {
  return (await evaluateTransition(context(f, calls))).result;
}

/** The one check with this id (and policy, when given); fails the test when absent or ambiguous. */
export function check(result: { checks: CheckResult[] }, id: string, policyFile?: string): CheckResult {
  const found = result.checks.filter((c) => c.id === id && (policyFile === undefined || c.policy === policyFile));
  if (found.length !== 1) throw new Error(`expected one check ${id}${policyFile ? ` from ${policyFile}` : ''}, found ${found.length}: ${result.checks.map((c) => c.id).join(', ')}`);
  return found[0]!;
}

export function ids(result: { checks: CheckResult[] }): string[] {
  return result.checks.map((c) => c.id);
}

/** A Staging → Production promotion of v3 with v2 serving, the common case. */
export function promotion(rules: NonNullable<PolicyDoc['rules']>[Target], over: Partial<Fixture> = {}, doc: Partial<PolicyDoc> = {}): Fixture {
  return {
    transition: { version: 3, from: 'Staging', to: 'Production' },
    policies: [policy('policies/churn.yaml', { rules: { Production: rules }, ...doc })],
    base: manifest([
      { version: 2, stage: 'Production' },
      { version: 3, stage: 'Staging' },
    ]),
    head: manifest([
      { version: 2, stage: 'Archived' },
      { version: 3, stage: 'Production' },
    ]),
    runs: { 2: run(2), 3: run(3) },
    ...over,
  };
}
