import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { EnvironmentError, InputError } from '../../src/errors';
import { createS3Client, fullObjectSha256, isS3Missing, s3Failure } from '../../src/storage/s3';

/** An error shaped as @aws-sdk/client-s3 throws them (S3ServiceException fields). */
function sdkError(name: string, status: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(name === 'Unknown' ? 'UnknownError' : `${name} message`), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status, attempts: 1 },
    ...extra,
  });
}

function netError(code: string, attempts: number): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code, $metadata: { attempts } });
}

const URI = 's3://ml-models/churn/3/model.pkl';

describe('s3Failure', () => {
  it('maps every fault to exit 3 naming the object and the S3 code', () => {
    for (const err of [
      sdkError('NoSuchBucket', 404, { Code: 'NoSuchBucket' }),
      sdkError('AccessDenied', 403, { Code: 'AccessDenied' }),
      sdkError('Unknown', 403),
      sdkError('InvalidAccessKeyId', 403, { Code: 'InvalidAccessKeyId' }),
      sdkError('ExpiredToken', 400, { Code: 'ExpiredToken' }),
      sdkError('SignatureDoesNotMatch', 403, { Code: 'SignatureDoesNotMatch' }),
      sdkError('InternalError', 500, { Code: 'InternalError' }),
      netError('ECONNREFUSED', 4),
      netError('ENOTFOUND', 1),
      Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
    ]) {
      const mapped = s3Failure(err, URI);
      expect(mapped).toBeInstanceOf(EnvironmentError);
      expect(mapped.exitCode).toBe(3);
      expect(mapped.message).toContain(URI);
      expect(mapped.hint).toBeTruthy();
    }
  });

  it('says what to check for each kind of fault', () => {
    const hint = (err: unknown) => s3Failure(err, URI).hint ?? '';
    expect(hint(sdkError('NoSuchBucket', 404, { Code: 'NoSuchBucket' }))).toMatch(/bucket 'ml-models' does not exist.*bucket name.*AWS_REGION/);
    expect(hint(sdkError('AccessDenied', 403, { Code: 'AccessDenied' }))).toMatch(/s3:GetObject.*s3:ListBucket on bucket 'ml-models'/);
    // HeadObject 403 has no body: the SDK says "Unknown"; the status decides.
    expect(hint(sdkError('Unknown', 403))).toMatch(/s3:GetObject/);
    expect(hint(sdkError('ExpiredToken', 400, { Code: 'ExpiredToken' }))).toMatch(/credentials.*renew/);
    expect(hint(sdkError('InvalidAccessKeyId', 403, { Code: 'InvalidAccessKeyId' }))).toMatch(/AWS_ACCESS_KEY_ID/);
    expect(hint(netError('ECONNREFUSED', 4))).toMatch(/AWS_ENDPOINT_URL_S3/);
    expect(hint(sdkError('SlowDown', 503, { Code: 'SlowDown' }))).toMatch(/retries/);
    expect(hint(sdkError('PermanentRedirect', 301, { Code: 'PermanentRedirect' }))).toMatch(/AWS_REGION/);
  });

  it('puts the code, the HTTP status and the attempts in the message', () => {
    expect(s3Failure(sdkError('AccessDenied', 403, { Code: 'AccessDenied' }), URI).message).toBe(
      `cannot read ${URI}: AccessDenied (HTTP 403): AccessDenied message`,
    );
    expect(s3Failure(sdkError('Unknown', 403), URI).message).toBe(`cannot read ${URI}: HTTP 403`);
    expect(s3Failure(netError('ECONNREFUSED', 4), URI).message).toBe(`cannot read ${URI}: ECONNREFUSED (after 4 attempts): connect ECONNREFUSED 127.0.0.1:9`);
  });

  it('passes modelgate errors through unchanged', () => {
    const own = new InputError('bad');
    expect(s3Failure(own, URI)).toBe(own);
  });

  it('tells a missing object from a fault', () => {
    expect(isS3Missing(sdkError('NoSuchKey', 404, { Code: 'NoSuchKey' }))).toBe(true);
    expect(isS3Missing(sdkError('NotFound', 404))).toBe(true);
    expect(isS3Missing(sdkError('NoSuchBucket', 404, { Code: 'NoSuchBucket' }))).toBe(false);
    expect(isS3Missing(sdkError('Unknown', 403))).toBe(false);
    expect(isS3Missing(netError('ECONNREFUSED', 1))).toBe(false);
  });
});

describe('fullObjectSha256 (which stored checksum is the digest)', () => {
  const bytes = Buffer.from('model weights');
  const b64 = createHash('sha256').update(bytes).digest('base64');
  const hex = createHash('sha256').update(bytes).digest('hex');

  it('uses a full-object SHA-256, converted from base64 to hex', () => {
    expect(fullObjectSha256({ ChecksumSHA256: b64, ChecksumType: 'FULL_OBJECT' })).toBe(hex);
  });

  it('never uses a composite multipart checksum or one of unknown type', () => {
    expect(fullObjectSha256({ ChecksumSHA256: `${b64}-3`, ChecksumType: 'COMPOSITE' })).toBeUndefined();
    expect(fullObjectSha256({ ChecksumSHA256: b64, ChecksumType: 'COMPOSITE' })).toBeUndefined();
    expect(fullObjectSha256({ ChecksumSHA256: `${b64}-3`, ChecksumType: 'FULL_OBJECT' })).toBeUndefined();
    expect(fullObjectSha256({ ChecksumSHA256: b64 })).toBeUndefined();
    expect(fullObjectSha256({ ChecksumType: 'FULL_OBJECT' })).toBeUndefined();
  });

  it('refuses values that are not a 32-byte base64 hash', () => {
    expect(fullObjectSha256({ ChecksumSHA256: 'AAAA', ChecksumType: 'FULL_OBJECT' })).toBeUndefined();
    expect(fullObjectSha256({ ChecksumSHA256: 'not base64!', ChecksumType: 'FULL_OBJECT' })).toBeUndefined();
  });
});

describe('createS3Client', () => {
  it('addresses a custom endpoint path-style, with region and bounded retries', async () => {
    const c = createS3Client({ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000', AWS_ENDPOINT_URL: 'http://other:1', AWS_REGION: 'eu-west-3', AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's' });
    expect(await c.config.region()).toBe('eu-west-3');
    expect(c.config.forcePathStyle).toBe(true);
    const ep = await c.config.endpoint!();
    expect(`${ep.protocol}//${ep.hostname}:${ep.port}`).toBe('http://127.0.0.1:9000');
    expect(await c.config.maxAttempts()).toBe(4);
    c.destroy();
  });

  it('falls back to AWS_ENDPOINT_URL, AWS_DEFAULT_REGION, then us-east-1', async () => {
    const c = createS3Client({ AWS_ENDPOINT_URL: 'http://minio.local:9000', AWS_DEFAULT_REGION: 'ap-south-1' });
    expect(await c.config.region()).toBe('ap-south-1');
    expect((await c.config.endpoint!()).hostname).toBe('minio.local');
    c.destroy();
    const d = createS3Client({});
    expect(await d.config.region()).toBe('us-east-1');
    expect(d.config.forcePathStyle).toBeFalsy();
    d.destroy();
  });

  it('refuses a malformed endpoint or timeout as an environment error', () => {
    expect(() => createS3Client({ AWS_ENDPOINT_URL_S3: 'localhost:9000' })).toThrow(/AWS_ENDPOINT_URL_S3 'localhost:9000' is not an http\(s\) URL/);
    expect(() => createS3Client({ MODELGATE_S3_TIMEOUT_MS: 'soon' })).toThrow(EnvironmentError);
  });
});
