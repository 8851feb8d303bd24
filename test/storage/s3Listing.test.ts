/**
 * Listings of S3 prefixes stop paging at the caller's cap (issue 13): a prefix with more
 * objects than modelgate will read costs the pages up to the cap, not a listing of everything
 * followed by a refusal. Against a real s3rver (test/helpers/s3.ts), whose proxy counts the
 * ListObjectsV2 requests. s3rver pages at 1,000 keys like S3.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { startS3, type S3TestServer } from '../helpers/s3';
import { S3FileSource, createS3Client } from '../../src/storage/s3';
import { digestArtifact } from '../../src/artifacts/digest';
import { InputError } from '../../src/errors';
import { MemorySource } from '../runs/sources';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const BUCKET = 'many';
const OBJECTS = 1_200;
/** A prefix at the cap, hashed as before. */
const FEW = 3;
/** Listing requests by prefix (`bucket/prefix`), counted by the proxy. */
const lists = new Map<string, number>();
let s3: S3TestServer;

beforeAll(async () => {
  s3 = await startS3({
    buckets: [BUCKET],
    fault: (target, method) => {
      if (method === 'GET' && target.endsWith('/')) lists.set(target, (lists.get(target) ?? 0) + 1);
      return undefined;
    },
  });
  // Written into s3rver's store directly (an upload each would take a minute): its listing
  // reads the store, and the objects are never downloaded here.
  for (let i = 0; i < OBJECTS; i++) writeFileSync(s3.objectPath(BUCKET, `run/params/p${String(i).padStart(5, '0')}`), '1');
  for (let i = 0; i < FEW; i++) await s3.put(BUCKET, `few/f${i}`, `file ${i}`);
}, 60_000);
afterAll(async () => {
  await s3?.stop();
});

describe('S3 listings stop at the cap', () => {
  it('S3FileSource.list with a limit of 5 asks for one page of 1,200 objects (two without a limit)', async () => {
    const client = createS3Client(s3.env);
    try {
      const source = new S3FileSource(client, `s3://${BUCKET}/run`);
      lists.clear();
      const capped = await source.list('params', 5);
      expect(capped!.length).toBeGreaterThan(5);
      expect(lists.get(`${BUCKET}/run/params/`)).toBe(1);
      lists.clear();
      const whole = await source.list('params');
      expect(whole).toHaveLength(OBJECTS);
      expect(lists.get(`${BUCKET}/run/params/`)).toBe(2);
    } finally {
      client.destroy();
    }
  });

  it('an artifact prefix with more files than MODELGATE_MAX_ARTIFACT_FILES is refused after one page, naming the prefix', async () => {
    lists.clear();
    const t0 = Date.now();
    const err = await digestArtifact(`s3://${BUCKET}/run/`, { repoSource: new MemorySource({}), env: { ...s3.env, MODELGATE_MAX_ARTIFACT_FILES: '10' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toBe('s3://many/run/ holds more than 10 files, more than modelgate hashes for one artifact');
    expect((err as InputError).hint).toMatch(/MODELGATE_MAX_ARTIFACT_FILES/);
    expect(lists.get(`${BUCKET}/run/`)).toBe(1);
    console.log(`artifact prefix of ${OBJECTS} objects, cap 10: refused after 1 listing page in ${Date.now() - t0} ms`);
    // At the cap the prefix is hashed as before.
    const at = await digestArtifact(`s3://${BUCKET}/few/`, { repoSource: new MemorySource({}), env: { ...s3.env, MODELGATE_MAX_ARTIFACT_FILES: String(FEW) } });
    expect(at).toMatchObject({ exists: true, files: FEW });
    await expect(digestArtifact(`s3://${BUCKET}/few/`, { repoSource: new MemorySource({}), env: { ...s3.env, MODELGATE_MAX_ARTIFACT_FILES: String(FEW - 1) } })).rejects.toThrow(/holds more than 2 files/);
  }, 60_000);
});
