/**
 * Signatures of models in S3, read from their MLmodel object on the real local S3 server: a
 * repository run whose artifact: is s3:// is judged on that signature (it used to fail closed
 * as "unavailable").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { modelgate } from '../helpers/cli';
import { makeRegistry } from '../helpers/registry';
import { startS3, type S3TestServer } from '../helpers/s3';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const BUCKET = 'sig-models';
let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3({ buckets: [BUCKET], lifetimeMs: 120_000 });
});
afterAll(() => s3?.stop());

const POLICY = `apiVersion: modelgate/v1
kind: Policy
name: sig
models: [s3-model]
rules:
  Staging:
    signature: { required: true }
`;
const SIGNED = `signature:\n  inputs: '[{"type": "double", "name": "x", "required": true}]'\n  outputs: null\n`;

async function put(key: string, body: string) {
  await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
}

describe('signatures of S3 models', () => {
  it.each([
    ['an MLmodel with a signature passes signature.required', 'signed', SIGNED, 0],
    ['an MLmodel without one fails it', 'unsigned', 'flavors: {}\n', 1],
    ['no MLmodel object fails it closed', 'none', undefined, 1],
  ])('%s', async (_what, prefix, mlmodel, code) => {
    const repo = await makeRegistry({ 'policies/sig.yaml': POLICY, 'runs/r.json': JSON.stringify({ run_id: 'r1', status: 'FINISHED' }) });
    try {
      await put(`${prefix}/model.pkl`, 'weights');
      if (mlmodel !== undefined) await put(`${prefix}/MLmodel`, mlmodel);
      const reg = await modelgate(repo.dir, ['register', 's3-model', '--run', 'runs/r.json', '--artifact', `s3://${BUCKET}/${prefix}/`, '--commit', '--actor', 'alice'], s3.env);
      expect(reg.code, reg.stderr).toBe(0);
      const r = await modelgate(repo.dir, ['promote', 's3-model', '1', '--to', 'Staging', '--actor', 'alice'], s3.env);
      expect(r.code, r.stdout + r.stderr).toBe(code);
      if (prefix === 'none') expect(r.stdout + r.stderr).toContain(`no MLmodel object at s3://${BUCKET}/${prefix}/MLmodel`);
    } finally {
      await repo.cleanup();
    }
  });
});
