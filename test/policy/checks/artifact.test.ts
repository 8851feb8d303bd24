import { describe, expect, it } from 'vitest';
import { EnvironmentError, NotFoundError } from '../../../src/errors';
import { check, evaluate, ids, promotion, type Calls } from './fixtures';

const uri = 's3://ml-models/churn/3/';
const digest = 'sha256:' + 'a'.repeat(64);
const other = 'sha256:' + 'b'.repeat(64);

describe('artifact.exists and artifact.digest', () => {
  it('pass when the artifact is there and matches', async () => {
    const r = await evaluate(promotion({ artifact: { verify: true } }, { artifact: { uri, exists: true, expected: digest, actual: digest } }));
    expect(check(r, 'artifact.exists').status).toBe('pass');
    expect(check(r, 'artifact.digest')).toMatchObject({ status: 'pass', actual: digest, expected: digest });
  });

  it('fail when the artifact is missing', async () => {
    const r = await evaluate(promotion({ artifact: { verify: true } }, { artifact: { uri, exists: false, expected: digest } }));
    expect(check(r, 'artifact.exists')).toMatchObject({ status: 'fail', message: `artifact ${uri} does not exist` });
    expect(check(r, 'artifact.digest').message).toMatch(/^could not evaluate: /);
    const notFound = await evaluate(promotion({ artifact: { verify: true } }, { artifact: new NotFoundError(`artifact ${uri} not found`) }));
    expect(check(notFound, 'artifact.exists')).toMatchObject({ status: 'fail', message: `artifact ${uri} not found` });
  });

  it('fails the digest when none is recorded, and on a mismatch naming both', async () => {
    const none = await evaluate(promotion({ artifact: { verify: true } }, { artifact: { uri, exists: true, actual: digest } }));
    expect(check(none, 'artifact.digest').message).toMatch(/^no digest recorded.*run modelgate register or add digest:/);
    const mismatch = check(await evaluate(promotion({ artifact: { verify: true } }, { artifact: { uri, exists: true, expected: digest, actual: other } })), 'artifact.digest');
    expect(mismatch).toMatchObject({ status: 'fail', actual: other, expected: digest });
    expect(mismatch.message).toContain(digest);
    expect(mismatch.message).toContain(other);
  });

  it('fails closed when the artifact cannot be checked', async () => {
    const r = await evaluate(promotion({ artifact: { verify: true } }, { artifact: new EnvironmentError('S3: SlowDown') }));
    expect(check(r, 'artifact.exists')).toMatchObject({ status: 'fail', message: 'could not evaluate: S3: SlowDown' });
    expect(check(r, 'artifact.digest')).toMatchObject({ status: 'fail', message: 'could not evaluate: S3: SlowDown' });
    expect(r.decision).toBe('deny');
  });

  it('is not checked (no I/O) unless verify is true', async () => {
    const calls: Calls = [];
    const r = await evaluate(promotion({ artifact: { verify: false } }), calls);
    expect(calls).not.toContain('artifact');
    expect(ids(r)).not.toContain('artifact.exists');
  });
});
