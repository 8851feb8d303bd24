import { describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../../src/errors';
import type { StageRules } from '../../../src/policy/types';
import { check, evaluate, ids, promotion, run, signature, type Calls } from './fixtures';

const judge = (rules: StageRules, mine: Parameters<typeof run>[1] = {}) => evaluate(promotion(rules, { runs: { 2: run(2), 3: run(3, mine) } }));

describe('run.exists', () => {
  it('passes when the run is read', async () => {
    expect(check(await judge({ run: { status: 'FINISHED' } }), 'run.exists')).toMatchObject({ status: 'pass' });
  });

  it('fails when the run is not found, and every check that needed it fails closed', async () => {
    const r = await evaluate(promotion({ tags: { required: ['data_version'] }, metrics: [{ name: 'val_auc', min: 0.5 }] }, { runs: {} }));
    expect(check(r, 'run.exists')).toMatchObject({ status: 'fail', message: 'run runs/3.json not found' });
    expect(check(r, 'tag:data_version.required')).toMatchObject({ status: 'fail', message: 'could not evaluate: run not found' });
    expect(check(r, 'metric:val_auc.present').message).toBe('could not evaluate: run not found');
    expect(check(r, 'metric:val_auc.min').message).toBe('could not evaluate: run not found');
    expect(r.decision).toBe('deny');
    expect(r.lineage).toBeUndefined();
  });

  it('reports an unreadable run as could not evaluate, never as a pass', async () => {
    const r = await evaluate(promotion({ run: { status: 'FINISHED' } }, { runs: { 3: new EnvironmentError('S3: access denied') } }));
    expect(check(r, 'run.exists')).toMatchObject({ status: 'fail', message: 'could not evaluate: S3: access denied' });
    expect(check(r, 'run.status')).toMatchObject({ status: 'fail', message: 'could not evaluate: S3: access denied' });
  });

  it('fails for a run marked deleted', async () => {
    expect(check(await judge({ run: { status: 'FINISHED' } }, { deleted: true }), 'run.exists').status).toBe('fail');
  });

  it('does not read the run when no rule needs it', async () => {
    const calls: Calls = [];
    const r = await evaluate(promotion({ from: ['Staging'] }), calls);
    expect(calls).not.toContain('run:3');
    expect(ids(r)).not.toContain('run.exists');
  });
});

describe('run.status', () => {
  it('accepts one status or a list', async () => {
    expect(check(await judge({ run: { status: 'FINISHED' } }), 'run.status').status).toBe('pass');
    expect(check(await judge({ run: { status: ['FINISHED', 'KILLED'] } }, { status: 'KILLED' }), 'run.status').status).toBe('pass');
    expect(check(await judge({ run: { status: 'FINISHED' } }, { status: 'FAILED' }), 'run.status')).toMatchObject({
      status: 'fail',
      message: 'run status is FAILED, expected FINISHED',
    });
  });

  it('fails when the run records no status, with a hint', async () => {
    const r = check(await judge({ run: { status: 'FINISHED' } }, { status: undefined }), 'run.status');
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^the run records no status/);
    expect(r.message).toMatch(/portable run record/);
  });
});

describe('tags and params', () => {
  const rules: StageRules = { tags: { required: ['data_version', 'author'], match: { 'mlflow.source.git.commit': '^[0-9a-f]{40}$' } }, params: { required: ['random_seed'] } };
  const sha = 'a'.repeat(40);

  it('passes when present, non-empty and matching', async () => {
    const r = await judge(rules, { tags: { data_version: '2024-03-15', author: 'ann', 'mlflow.source.git.commit': sha }, params: { random_seed: '42' } });
    for (const id of ['tag:data_version.required', 'tag:author.required', 'tag:mlflow.source.git.commit.match', 'param:random_seed.required']) {
      expect(check(r, id).status, id).toBe('pass');
    }
    expect(r.decision).toBe('allow');
  });

  it('fails missing, empty and non-matching values', async () => {
    const r = await judge(rules, { tags: { author: '  ', 'mlflow.source.git.commit': 'HEAD' }, params: {} });
    expect(check(r, 'tag:data_version.required')).toMatchObject({ status: 'fail', message: 'tag data_version is missing' });
    expect(check(r, 'tag:author.required')).toMatchObject({ status: 'fail', message: 'tag author is empty' });
    expect(check(r, 'tag:mlflow.source.git.commit.match')).toMatchObject({ status: 'fail', actual: 'HEAD' });
    expect(check(r, 'param:random_seed.required')).toMatchObject({ status: 'fail', message: 'param random_seed is missing' });
  });

  it('fails closed on an invalid regular expression', async () => {
    const r = check(await judge({ tags: { match: { purpose: '([a-z' } } }, { tags: { purpose: 'x' } }), 'tag:purpose.match');
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^could not evaluate: tags.match for purpose is not a valid regular expression/);
  });

  it('does not mistake inherited object keys for tags', async () => {
    expect(check(await judge({ tags: { required: ['constructor'] } }), 'tag:constructor.required').status).toBe('fail');
  });
});

describe('signature.required', () => {
  it('passes with inputs, fails without a signature or without inputs', async () => {
    expect(check(await judge({ signature: { required: true } }), 'signature.required').status).toBe('pass');
    const absent = check(await judge({ signature: { required: true } }, { signature: { state: 'absent', source: 'artifacts/model/MLmodel' } }), 'signature.required');
    expect(absent).toMatchObject({ status: 'fail' });
    expect(absent.message).toMatch(/^no signature/);
    expect(check(await judge({ signature: { required: true } }, { signature: signature(null) }), 'signature.required').status).toBe('fail');
  });

  it('fails closed when the signature is unavailable or invalid', async () => {
    const unavailable = check(await judge({ signature: { required: true } }, { signature: { state: 'unavailable', reason: 'artifacts are in S3' } }), 'signature.required');
    expect(unavailable.message).toMatch(/^could not evaluate: .*artifacts are in S3/);
    const invalid = check(await judge({ signature: { required: true } }, { signature: { state: 'invalid', source: 'MLmodel', error: 'bad JSON' } }), 'signature.required');
    expect(invalid).toMatchObject({ status: 'fail' });
    expect(invalid.message).toMatch(/^could not evaluate: .*bad JSON/);
  });
});
