/** Artifact digests and checks on a real S3-compatible server (s3rver on 127.0.0.1). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentError } from '../../src/errors';
import { digestArtifact, type DigestOptions } from '../../src/artifacts/digest';
import { checkArtifact } from '../../src/artifacts/verify';
import type { FileSource } from '../../src/storage/types';
import { closedPort, startS3, type S3TestServer } from '../helpers/s3';

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** s3:// artifacts never touch the repository. */
const noRepo: FileSource = {
  describe: (p) => p,
  stat: () => Promise.reject(new Error('repository read for an s3:// artifact')),
  readBytes: () => Promise.reject(new Error('repository read for an s3:// artifact')),
  list: () => Promise.reject(new Error('repository read for an s3:// artifact')),
  openStream: () => Promise.reject(new Error('repository read for an s3:// artifact')),
};

let s3: S3TestServer;
let opts: DigestOptions;

const MODEL: Record<string, string> = {
  'churn/3/MLmodel': 'artifact_path: model\nflavors: {}\n',
  'churn/3/model.pkl': 'weights v3',
  'churn/3/data/vocab.txt': 'a\nb\nc\n',
  'churn/3/data/nested/deep/x.bin': 'x',
  'churn/3/Z-upper.txt': 'sorts before lower case',
  'churn/30/model.pkl': 'a sibling whose prefix starts the same',
};

beforeAll(async () => {
  s3 = await startS3({ buckets: ['ml-models'], deny: ['ml-models/secret/', 'ml-models/churn/5/private'] });
  for (const [k, v] of Object.entries(MODEL)) await s3.put('ml-models', k, v);
  await s3.put('ml-models', 'churn/3/data/', ''); // a console "folder" marker: not a file
  await s3.put('ml-models', 'secret/1/model.pkl', 'x');
  await s3.put('ml-models', 'churn/5/model.pkl', 'public');
  await s3.put('ml-models', 'churn/5/private.bin', 'not for these credentials');
  opts = { repoSource: noRepo, env: s3.env };
});
afterAll(async () => {
  await s3?.stop();
});

/** The spec's rule, written out by hand for this fixture (byte order: `Z` < `a` < `d` < `m`). */
function expectedPrefixDigest(): string {
  const f = (k: string) => sha256(MODEL[`churn/3/${k}`]!);
  const listing =
    `${f('MLmodel')}  MLmodel\n` +
    `${f('Z-upper.txt')}  Z-upper.txt\n` +
    `${f('data/nested/deep/x.bin')}  data/nested/deep/x.bin\n` +
    `${f('data/vocab.txt')}  data/vocab.txt\n` +
    `${f('model.pkl')}  model.pkl\n`;
  return `sha256:${sha256(listing)}`;
}

describe('digests of S3 artifacts', () => {
  it('a single object: sha256 of its bytes', async () => {
    const d = await digestArtifact('s3://ml-models/churn/3/model.pkl', opts);
    expect(d).toEqual({ exists: true, digest: `sha256:${sha256('weights v3')}`, files: 1, bytes: 10 });
  });

  it('a prefix with nested keys: the sha256sum rule, with or without the trailing slash', async () => {
    const withSlash = await digestArtifact('s3://ml-models/churn/3/', opts);
    expect(withSlash.digest).toBe(expectedPrefixDigest());
    expect(withSlash.files).toBe(5);
    const without = await digestArtifact('s3://ml-models/churn/3', opts);
    expect(without.digest).toBe(withSlash.digest); // churn/30/ is not part of churn/3
  });

  it('one byte changed: a different digest, and checkArtifact reports the mismatch', async () => {
    const expected = expectedPrefixDigest();
    await s3.put('ml-models', 'churn/3/data/vocab.txt', 'a\nb\nd\n');
    try {
      const check = await checkArtifact('s3://ml-models/churn/3/', expected, opts);
      expect(check.exists).toBe(true);
      expect(check.expected).toBe(expected);
      expect(check.actual).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(check.actual).not.toBe(expected);
    } finally {
      await s3.put('ml-models', 'churn/3/data/vocab.txt', MODEL['churn/3/data/vocab.txt']!);
    }
    const again = await checkArtifact('s3://ml-models/churn/3/', expected, opts);
    expect(again.actual).toBe(expected);
  });

  it('a deleted object does not exist; an empty prefix does not exist', async () => {
    await s3.put('ml-models', 'churn/4/model.pkl', 'v4');
    const digest = `sha256:${sha256('v4')}`;
    expect(await checkArtifact('s3://ml-models/churn/4/model.pkl', digest, opts)).toEqual({
      uri: 's3://ml-models/churn/4/model.pkl',
      exists: true,
      expected: digest,
      actual: digest,
    });
    await s3.remove('ml-models', 'churn/4/model.pkl');
    expect(await checkArtifact('s3://ml-models/churn/4/model.pkl', digest, opts)).toEqual({
      uri: 's3://ml-models/churn/4/model.pkl',
      exists: false,
      expected: digest,
    });
    expect(await digestArtifact('s3://ml-models/churn/4/', opts)).toEqual({ exists: false, files: 0, bytes: 0 });
  });

  it('is the same digest as the same files in a local directory would get', async () => {
    // A file-system listing of s3rver's own storage directory, hashed by the rule independently.
    const dir = join(s3.directory, 'ml-models', 'churn', '3');
    const walk = (d: string, rel = ''): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(d, e.name), `${rel}${e.name}/`) : e.name.endsWith('._S3rver_object') && !e.name.startsWith('._S3rver') ? [`${rel}${e.name.slice(0, -'._S3rver_object'.length)}`] : [],
      );
    const lines = walk(dir)
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
      .map((p) => `${sha256(readFileSync(join(dir, `${p}._S3rver_object`)))}  ${p}\n`);
    expect((await digestArtifact('s3://ml-models/churn/3/', opts)).digest).toBe(`sha256:${sha256(lines.join(''))}`);
  });

  it('hashing a small artifact is silent (no progress lines)', async () => {
    const lines: string[] = [];
    await digestArtifact('s3://ml-models/churn/3/', { ...opts, onProgress: (t) => lines.push(t), interactive: false });
    expect(lines).toEqual([]);
  });
});

describe('faults are exit 3, never "missing" or "allowed"', () => {
  it('access denied on one object of a prefix names that object and what to check', async () => {
    const err = await checkArtifact('s3://ml-models/churn/5/', undefined, opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as EnvironmentError).message).toBe('cannot read s3://ml-models/churn/5/private.bin: AccessDenied (HTTP 403): Access Denied');
    expect((err as EnvironmentError).hint).toMatch(/s3:GetObject on the objects and s3:ListBucket on bucket 'ml-models'/);
  });

  it('access denied on a single object (HeadObject 403) is a fault, not a missing object', async () => {
    const err = await checkArtifact('s3://ml-models/secret/1/model.pkl', undefined, opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as EnvironmentError).message).toMatch(/^cannot read s3:\/\/ml-models\/secret\/1\/model\.pkl: HTTP 403/);
  });

  it('a missing bucket', async () => {
    const err = await digestArtifact('s3://no-such-bucket/churn/3/model.pkl', opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as EnvironmentError).message).toMatch(/no-such-bucket.*NoSuchBucket/);
  });

  it('an endpoint that is down, within seconds', async () => {
    const port = await closedPort();
    const started = Date.now();
    const env = { ...s3.env, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`, MODELGATE_S3_TIMEOUT_MS: '2000' };
    const err = await checkArtifact('s3://ml-models/churn/3/', 'sha256:' + '0'.repeat(64), { ...opts, env }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as EnvironmentError).exitCode).toBe(3);
    expect((err as EnvironmentError).message).toMatch(/s3:\/\/ml-models\/churn\/3\/: ECONNREFUSED/);
  });
});

describe('start-up cost', () => {
  it('artifact modules reach the S3 adapter only through import()', () => {
    const dir = join(import.meta.dirname, '../../src/artifacts');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text, file).not.toMatch(/^import (?!type )[^;]*['"](\.\.\/storage\/s3|@aws-sdk\/[^'"]+)['"]/m);
    }
  });
});

describe('throttling and 5xx are retried, boundedly', () => {
  it('recovers from a few SlowDown and 503 answers', async () => {
    let faults = 0;
    const flaky = await startS3({
      buckets: ['flaky'],
      fault: (target, method) => (target.startsWith('flaky/m/') && method === 'GET' && faults < 2 ? (faults++ === 0 ? { status: 503, code: 'SlowDown' } : { status: 500, code: 'InternalError' }) : undefined),
    });
    try {
      await flaky.put('flaky', 'm/model.pkl', 'weights');
      const d = await digestArtifact('s3://flaky/m/model.pkl', { repoSource: noRepo, env: flaky.env });
      expect(d.digest).toBe(`sha256:${sha256('weights')}`);
      expect(faults).toBe(2);
    } finally {
      await flaky.stop();
    }
  });

  it('gives up after 4 attempts with exit 3', async () => {
    let requests = 0;
    const down = await startS3({
      buckets: ['broken'],
      fault: (target) => (target.startsWith('broken/') ? (requests++, { status: 503, code: 'ServiceUnavailable' }) : undefined),
    });
    try {
      const err = await digestArtifact('s3://broken/m/', { repoSource: noRepo, env: down.env }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EnvironmentError);
      expect((err as EnvironmentError).message).toBe(
        'cannot read s3://broken/m/: ServiceUnavailable (HTTP 503, after 4 attempts): Service is unable to handle request.',
      );
      expect((err as EnvironmentError).hint).toMatch(/retries/);
      expect(requests).toBe(4);
    } finally {
      await down.stop();
    }
  });
});
