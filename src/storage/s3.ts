/**
 * The S3 adapter: a client factory (endpoint, region, retries, timeouts from the environment),
 * a FileSource over an `s3://bucket/prefix` "directory" so run readers work unchanged on S3,
 * the few object calls artifact hashing needs, and one mapper from SDK failures to typed
 * errors. Callers reach this module only through `await import()`: the SDK is heavy and a
 * local-only run must not pay its start-up cost.
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type ListObjectsV2CommandOutput,
  type _Object,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { EnvironmentError, InputError, ModelgateError, NotFoundError } from '../errors';
import { byteOrder } from './paths';
import { normalizeRepoPath, parseS3Uri, printable } from './paths';
import type { FileSource, FileStat } from './types';

export type Env = Record<string, string | undefined>;

/** Metadata files (meta.yaml, params, run records) larger than this are refused, not read. */
export const MAX_METADATA_BYTES = 8 * 1024 * 1024;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const DEFAULT_RESPONSE_TIMEOUT_MS = 30_000;
const MAX_ATTEMPTS = 4;

/** `AWS_ENDPOINT_URL_S3`, else `AWS_ENDPOINT_URL`; undefined means AWS itself. */
export function s3Endpoint(env: Env): string | undefined {
  return nonEmpty(env.AWS_ENDPOINT_URL_S3) ?? nonEmpty(env.AWS_ENDPOINT_URL);
}

/**
 * An S3 client configured from `env`: region `AWS_REGION` / `AWS_DEFAULT_REGION` (default
 * us-east-1); a custom endpoint is addressed path-style (MinIO and friends); bounded standard
 * retries for throttling, 5xx and dropped connections; timeouts so an unreachable endpoint
 * fails in seconds (`MODELGATE_S3_TIMEOUT_MS` sets them all, for tests and slow links).
 */
export function createS3Client(env: Env): S3Client {
  silenceNodeVersionWarning();
  const endpoint = s3Endpoint(env);
  if (endpoint !== undefined) checkEndpoint(endpoint, env);
  const timeout = timeoutFrom(env);
  return new S3Client({
    region: nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? 'us-east-1',
    ...(endpoint !== undefined ? { endpoint, forcePathStyle: true } : {}),
    ...credentialsFrom(env),
    maxAttempts: MAX_ATTEMPTS,
    retryMode: 'standard',
    requestHandler: {
      connectionTimeout: timeout ?? DEFAULT_CONNECT_TIMEOUT_MS,
      requestTimeout: timeout ?? DEFAULT_RESPONSE_TIMEOUT_MS,
      throwOnRequestTimeout: true,
      socketTimeout: timeout ?? DEFAULT_RESPONSE_TIMEOUT_MS,
    },
    // We hash what we read ourselves; a second (CRC) pass over every byte would only slow it.
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * The SDK warns on every run under Node < 22 that its future releases will need Node 22. Our
 * engines field supports Node 20 and the pinned SDK works there: in CI logs the warning is only
 * noise. The SDK reads this variable when a client is constructed; a user's own setting wins.
 */
function silenceNodeVersionWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

/**
 * The standard chain reads keys from the process environment; when modelgate is handed an
 * environment (tests, embedding) its keys and profile are honoured the same way. Nothing else
 * of the chain (SSO, web identity, instance roles) is touched.
 */
function credentialsFrom(env: Env): { credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }; profile?: string } {
  const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  if (accessKeyId !== undefined && secretAccessKey !== undefined) {
    const sessionToken = nonEmpty(env.AWS_SESSION_TOKEN);
    return { credentials: { accessKeyId, secretAccessKey, ...(sessionToken !== undefined ? { sessionToken } : {}) } };
  }
  const profile = nonEmpty(env.AWS_PROFILE);
  return profile !== undefined ? { profile } : {};
}

function checkEndpoint(endpoint: string, env: Env): void {
  const name = nonEmpty(env.AWS_ENDPOINT_URL_S3) !== undefined ? 'AWS_ENDPOINT_URL_S3' : 'AWS_ENDPOINT_URL';
  let ok = false;
  try {
    const u = new URL(endpoint);
    ok = u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new EnvironmentError(`${name} '${printable(endpoint)}' is not an http(s) URL`, {
      hint: `set ${name} to the endpoint's URL, e.g. http://127.0.0.1:9000, or unset it to use AWS`,
    });
  }
}

function timeoutFrom(env: Env): number | undefined {
  const raw = nonEmpty(env.MODELGATE_S3_TIMEOUT_MS);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    throw new EnvironmentError(`MODELGATE_S3_TIMEOUT_MS '${printable(raw)}' is not a positive number of milliseconds`, {
      hint: 'set it to e.g. 10000, or unset it for the defaults',
    });
  }
  return n;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}

// ------------------------------------------------------------------------------------------
// Failures

/** The facts of an SDK or network failure that decide how it is reported. */
interface FailureFacts {
  code: string;
  status: number | undefined;
  attempts: number | undefined;
  detail: string;
}

function facts(err: unknown): FailureFacts {
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    name?: unknown;
    Code?: unknown;
    code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: number; attempts?: number };
  };
  const status = e.$metadata?.httpStatusCode;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  // HEAD responses have no body, so the SDK can only say "NotFound"/"Unknown": the status is the fact.
  const named = str(e.Code) ?? str(e.code) ?? str(e.name);
  const code = named === undefined || named === 'Unknown' || named === 'UnknownError' || named === 'Error' ? (status ? `HTTP ${status}` : 'Error') : named;
  const message = str(e.message) ?? String(err);
  return { code, status, attempts: e.$metadata?.attempts, detail: message === 'UnknownError' ? '' : message };
}

/** Nothing at that key (GetObject NoSuchKey, HeadObject 404): the object is missing. */
export function isS3Missing(err: unknown): boolean {
  const f = facts(err);
  return f.code === 'NoSuchKey' || (f.status === 404 && (f.code === 'NotFound' || f.code === 'HTTP 404'));
}

const CREDENTIAL_CODES = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'TokenRefreshRequired',
  'InvalidToken',
  'CredentialsProviderError',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'TimeoutError', 'RequestTimeout']);
const REGION_CODES = new Set(['PermanentRedirect', 'AuthorizationHeaderMalformed', 'IllegalLocationConstraintException', 'HTTP 301']);
const DENIED_CODES = new Set(['AccessDenied', 'AllAccessDisabled', 'Forbidden', 'HTTP 403']);

/**
 * The one mapping from an S3 failure to what the user sees: an EnvironmentError (exit 3, fail
 * closed) naming the object, the S3 error code and what to check. modelgate's own errors pass
 * through unchanged.
 */
export function s3Failure(err: unknown, uri: string): ModelgateError {
  if (err instanceof ModelgateError) return err;
  const f = facts(err);
  const { bucket } = safeLocation(uri);
  const notes = [
    f.status !== undefined && !f.code.startsWith('HTTP') ? `HTTP ${f.status}` : '',
    f.attempts !== undefined && f.attempts > 1 ? `after ${f.attempts} attempts` : '',
  ].filter((n) => n !== '');
  const paren = notes.length > 0 ? ` (${notes.join(', ')})` : '';
  const detail = f.detail !== '' && f.detail !== f.code ? `: ${printable(f.detail)}` : '';
  return new EnvironmentError(`cannot read ${printable(uri)}: ${f.code}${paren}${detail}`, { hint: hintFor(f, bucket), cause: err });
}

function hintFor(f: FailureFacts, bucket: string): string {
  if (f.code === 'NoSuchBucket') {
    return `bucket '${bucket}' does not exist here: check the bucket name, AWS_REGION and AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL`;
  }
  if (DENIED_CODES.has(f.code)) {
    return `the credentials in use may not read it: they need s3:GetObject on the objects and s3:ListBucket on bucket '${bucket}'; check AWS_PROFILE / AWS_ACCESS_KEY_ID and the bucket policy`;
  }
  if (f.code === 'RequestTimeTooSkewed') return 'the system clock is off: synchronise it (NTP) and retry';
  if (CREDENTIAL_CODES.has(f.code) || f.code.startsWith('Credentials')) {
    return 'check the AWS credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN); renew expired session credentials (e.g. aws sso login)';
  }
  if (REGION_CODES.has(f.code)) return `bucket '${bucket}' is in another region or behind another endpoint: set AWS_REGION to the bucket's region`;
  if (NETWORK_CODES.has(f.code)) {
    return 'the S3 endpoint could not be reached: check AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, the network and proxy settings (MODELGATE_S3_TIMEOUT_MS sets the timeout)';
  }
  if ((f.status !== undefined && f.status >= 500) || f.code === 'SlowDown' || f.code.includes('Throttl')) {
    return 'S3 kept failing after bounded retries: try again later';
  }
  return 'check the credentials, AWS_REGION and AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL';
}

function safeLocation(uri: string): { bucket: string; key: string } {
  try {
    return parseS3Uri(uri);
  } catch {
    return { bucket: '?', key: '' };
  }
}

// ------------------------------------------------------------------------------------------
// Object calls

export interface S3ObjectInfo {
  key: string;
  size: number;
  /** Hex SHA-256 of the whole object, when S3 stores a full-object SHA-256 checksum. */
  sha256?: string;
}

export function s3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/**
 * The stored checksum that IS the sha256 of the object's bytes: only a full-object SHA-256
 * (ChecksumType FULL_OBJECT). A multipart composite (`<base64>-<parts>`, a hash of part
 * hashes) or a value without a stated type is not, and the bytes are hashed instead.
 */
export function fullObjectSha256(out: { ChecksumSHA256?: string | undefined; ChecksumType?: string | undefined }): string | undefined {
  const value = out.ChecksumSHA256;
  if (value === undefined || out.ChecksumType !== 'FULL_OBJECT' || value.includes('-')) return undefined;
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== 32 || bytes.toString('base64') !== value) return undefined;
  return bytes.toString('hex');
}

/** HeadObject with stored checksums; undefined when nothing is at that key. */
export async function headObject(client: S3Client, bucket: string, key: string): Promise<S3ObjectInfo | undefined> {
  try {
    const out = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
    const sha256 = fullObjectSha256(out);
    return { key, size: out.ContentLength ?? 0, ...(sha256 !== undefined ? { sha256 } : {}) };
  } catch (err) {
    if (isS3Missing(err)) return undefined;
    throw s3Failure(err, s3Uri(bucket, key));
  }
}

/** One page of ListObjectsV2; failures are mapped against `uri` (what the user named). */
async function listPage(client: S3Client, input: { Bucket: string; Prefix: string; Delimiter?: string; MaxKeys?: number; ContinuationToken?: string }, uri: string): Promise<ListObjectsV2CommandOutput> {
  try {
    return await client.send(new ListObjectsV2Command(input));
  } catch (err) {
    throw s3Failure(err, uri);
  }
}

/**
 * Every object under `prefix`, as the listing reports them, page by page: a consumer that stops
 * (a cap reached) stops the paging, so a prefix of any size costs what was asked for.
 */
export async function* listObjects(client: S3Client, bucket: string, prefix: string): AsyncIterable<_Object & { Key: string }> {
  let token: string | undefined;
  do {
    const page = await listPage(client, { Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }, s3Uri(bucket, prefix));
    for (const o of page.Contents ?? []) if (o.Key !== undefined) yield o as _Object & { Key: string };
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/** True when the listing marks an object as carrying a SHA-256 that may be full-object. */
export function mayHaveFullSha256(o: _Object): boolean {
  return (o.ChecksumAlgorithm ?? []).includes('SHA256') && (o.ChecksumType === undefined || o.ChecksumType === 'FULL_OBJECT');
}

/** The object's bytes as a stream; a missing object is a NotFoundError. */
export async function openObject(client: S3Client, bucket: string, key: string): Promise<AsyncIterable<Uint8Array>> {
  const uri = s3Uri(bucket, key);
  const body = await getBody(client, bucket, key);
  if (!body) throw new NotFoundError(`${printable(uri)} does not exist`, { hint: 'check the key, or whether the object was deleted' });
  return guarded(body.stream, uri);
}

async function getBody(client: S3Client, bucket: string, key: string): Promise<{ stream: Readable; size: number | undefined } | undefined> {
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    // In Node the body is an http.IncomingMessage (a Readable).
    const stream = out.Body as unknown as Readable | undefined;
    if (!stream) throw new EnvironmentError(`S3 returned no body for ${printable(s3Uri(bucket, key))}`);
    return { stream, size: out.ContentLength };
  } catch (err) {
    if (isS3Missing(err)) return undefined;
    throw s3Failure(err, s3Uri(bucket, key));
  }
}

/** A connection dropped mid-body is an environment failure of that object, not a crash. */
async function* guarded(stream: AsyncIterable<Uint8Array>, uri: string): AsyncIterable<Uint8Array> {
  try {
    for await (const chunk of stream) yield chunk;
  } catch (err) {
    throw s3Failure(err, uri);
  }
}

// ------------------------------------------------------------------------------------------
// FileSource

/**
 * `s3://bucket/prefix` seen as a directory: paths are relative to the prefix, `/` in keys are
 * directory separators (as MLflow's S3 artifact store and `aws s3 cp --recursive` write them).
 */
export class S3FileSource implements FileSource {
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(
    private readonly client: S3Client,
    rootUri: string,
  ) {
    const { bucket, key } = parseS3Uri(rootUri);
    this.bucket = bucket;
    this.prefix = key.replace(/\/+$/, '');
  }

  describe(path: string): string {
    return s3Uri(this.bucket, this.keyOf(path));
  }

  async stat(path: string): Promise<FileStat | undefined> {
    const key = this.keyOf(path);
    if (key !== '') {
      const head = await headObject(this.client, this.bucket, key);
      if (head) return { type: 'file', size: head.size };
    }
    const page = await listPage(this.client, { Bucket: this.bucket, Prefix: dirPrefix(key), MaxKeys: 1 }, this.describe(path));
    return (page.KeyCount ?? page.Contents?.length ?? 0) > 0 ? { type: 'dir', size: 0 } : undefined;
  }

  async readBytes(path: string): Promise<Uint8Array | undefined> {
    const key = this.keyOf(path);
    if (key === '') return undefined;
    const uri = this.describe(path);
    const body = await getBody(this.client, this.bucket, key);
    if (!body) return undefined;
    const tooBig = () =>
      new InputError(`${printable(uri)} is larger than ${MAX_METADATA_BYTES / 1024 / 1024} MiB, too large for a metadata file`, {
        hint: 'point the reference at the run directory or record, not at a large artifact',
      });
    if (body.size !== undefined && body.size > MAX_METADATA_BYTES) {
      body.stream.destroy();
      throw tooBig();
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of guarded(body.stream, uri)) {
      total += chunk.length;
      if (total > MAX_METADATA_BYTES) throw tooBig();
      chunks.push(chunk);
    }
    return new Uint8Array(Buffer.concat(chunks));
  }

  async list(dir: string, limit = Infinity): Promise<string[] | undefined> {
    const prefix = dirPrefix(this.keyOf(dir));
    const names = new Set<string>();
    let token: string | undefined;
    do {
      // Past the caller's cap the answer is "too many" already: no further page is asked for.
      if (names.size > limit + 1) break;
      const page = await listPage(
        this.client,
        { Bucket: this.bucket, Prefix: prefix, Delimiter: '/', ...(token ? { ContinuationToken: token } : {}) },
        this.describe(dir),
      );
      for (const o of page.Contents ?? []) if (o.Key) names.add(o.Key.slice(prefix.length));
      for (const p of page.CommonPrefixes ?? []) if (p.Prefix) names.add(p.Prefix.slice(prefix.length).replace(/\/$/, ''));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    names.delete(''); // the "folder" marker object some tools create for the prefix itself
    if (names.size === 0) return undefined;
    return [...names].sort(byteOrder);
  }

  async openStream(path: string): Promise<AsyncIterable<Uint8Array>> {
    return openObject(this.client, this.bucket, this.keyOf(path));
  }

  /** The key of a relative path; the same path checks as every FileSource. */
  private keyOf(path: string): string {
    if (path === '') return this.prefix;
    const rel = normalizeRepoPath(path, 'path');
    return this.prefix === '' ? rel : `${this.prefix}/${rel}`;
  }
}

function dirPrefix(key: string): string {
  return key === '' ? '' : `${key}/`;
}
