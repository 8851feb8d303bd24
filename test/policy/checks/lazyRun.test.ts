/**
 * The engine reads a run by key (issue 13): only the params, tags and metrics the policies
 * judge are asked for, and a value that cannot be read fails the check that needed it, not
 * the whole run.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors';
import { evaluateTransition } from '../../../src/policy/evaluate';
import type { RunRecord, RunValues } from '../../../src/runs/types';
import { fromPlain } from '../../../src/runs/values';
import { check, context, promotion, run } from './fixtures';

/** RunValues that log every call; keys in `broken` reject like a value past MLflow's limit. */
function spied<T>(kind: string, values: Record<string, T>, asked: string[], broken: string[] = []): RunValues<T> {
  return {
    get: async (key) => {
      asked.push(`${kind}:${key}`);
      if (broken.includes(key)) throw new InputError(`${kind} value is 6,001 characters, longer than MLflow's 6,000-character limit`, { location: { file: `mlruns/0/r3/${kind}s/${key}` } });
      return Object.hasOwn(values, key) ? values[key] : undefined;
    },
    keys: async () => {
      asked.push(`${kind}:*`);
      return Object.keys(values);
    },
    all: async () => {
      asked.push(`${kind}:all`);
      return { ...values };
    },
  };
}

const RULES = {
  params: { required: ['lr'] },
  tags: { required: ['data_version'] },
  metrics: [{ name: 'val_auc', min: 0.8 }, { name: 'auc/*', min: 0.5 }],
};
const many = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`p${i}`, String(i)]));

function lazyRun(asked: string[], broken: string[] = []): RunRecord {
  const plain = run(3, { params: { ...many, lr: '0.1' }, tags: { data_version: '2026-11-01', other: 'x' }, metrics: { val_auc: 0.9, 'auc/a': 0.7, 'auc/b': 0.6, loss: 0.1 } });
  const base = fromPlain(plain);
  return { ...base, params: spied('param', plain.params, asked, broken), tags: spied('tag', plain.tags, asked), metrics: spied('metric', plain.metrics, asked) };
}

describe('the run is read by key', () => {
  it('asks only for the keys the rules name (metric globs list the keys, then read the matches); never every value', async () => {
    const asked: string[] = [];
    const ctx = context(promotion(RULES));
    const { result } = await evaluateTransition({ ...ctx, run: async () => lazyRun(asked) });
    expect(result.decision, JSON.stringify(result.checks)).toBe('allow');
    expect(asked.filter((a) => a.startsWith('param:'))).toEqual(['param:lr']);
    expect(asked.filter((a) => a.startsWith('metric:'))).toEqual(['metric:val_auc', 'metric:*', 'metric:auc/a', 'metric:auc/b']);
    // data_version for its rule, then the lineage tags.
    expect(asked.filter((a) => a.startsWith('tag:'))).toEqual(['tag:data_version', 'tag:data_version', 'tag:mlflow.source.git.commit', 'tag:git_commit']);
    expect(result.evidence?.metrics).toEqual({ val_auc: 0.9, 'auc/a': 0.7, 'auc/b': 0.6 });
    expect(result.lineage).toMatchObject({ dataVersion: '2026-11-01' });
  });

  it('a value past a limit fails only the check that asked for it (could not evaluate, naming the file); the run and its other checks are judged', async () => {
    const asked: string[] = [];
    const ctx = context(promotion(RULES));
    const { result } = await evaluateTransition({ ...ctx, run: async () => lazyRun(asked, ['lr']) });
    expect(result.decision).toBe('deny');
    expect(check(result, 'param:lr.required')).toMatchObject({
      status: 'fail',
      level: 'deny',
      message: "could not evaluate: mlruns/0/r3/params/lr: param value is 6,001 characters, longer than MLflow's 6,000-character limit",
    });
    expect(check(result, 'run.exists').status).toBe('pass');
    expect(check(result, 'tag:data_version.required').status).toBe('pass');
    expect(check(result, 'metric:val_auc.min').status).toBe('pass');
  });

  it('a tag that cannot be read is left out of the lineage (lineage reports, it does not judge)', async () => {
    const asked: string[] = [];
    const ctx = context(promotion({ params: { required: ['lr'] } }));
    const r = lazyRun(asked);
    const { result } = await evaluateTransition({ ...ctx, run: async () => ({ ...r, tags: spied('tag', { data_version: 'x' }, asked, ['data_version']) }) });
    expect(result.decision).toBe('allow');
    expect(result.lineage).not.toHaveProperty('dataVersion');
  });
});
