/**
 * A real S3-compatible server for tests: s3rver on 127.0.0.1 (ephemeral port, temp directory,
 * silent), in a child process of the test run (see s3rver-child.cjs for why a child). No SDK
 * mocks: the code under test talks HTTP to it as it would to AWS or MinIO.
 *
 * s3rver accepts only the access key `S3RVER` (unknown keys get a real `InvalidAccessKeyId`
 * 403) but has no bucket policies, so it never answers `AccessDenied`. For that case `deny`
 * puts a tiny 127.0.0.1 proxy in front of it that answers 403 AccessDenied, as S3 does when
 * IAM refuses, for the chosen bucket/key prefixes and forwards everything else untouched.
 *
 * s3rver does not store or return `x-amz-checksum-*` values: the stored-checksum path of
 * artifact hashing is covered by unit tests, the hashing path end to end.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 's3rver-child.cjs');

export interface StartS3Options {
  /** Buckets created before the server answers. */
  buckets?: string[];
  /**
   * `bucket/key-prefix` entries the credentials may not read: requests for those objects (and
   * listings under those prefixes) are answered 403 AccessDenied.
   */
  deny?: string[];
  /**
   * Injected faults: called for every request (`bucket/key`, method); a returned status and S3
   * error code is answered instead of forwarding (throttling, 5xx). Routes through the proxy.
   */
  fault?: (target: string, method: string) => { status: number; code: string } | undefined;
  /** The server stops itself after this long, so a hung test cannot leak it (default 10 min). */
  lifetimeMs?: number;
}

export interface S3TestServer {
  /** `http://127.0.0.1:<port>` (the proxy's address when `deny` is set). */
  endpoint: string;
  /** What a modelgate process needs to reach the server. */
  env: Record<string, string>;
  /** A client for setting up fixtures (path-style, s3rver credentials). */
  client: S3Client;
  /** s3rver's storage directory. */
  directory: string;
  put(bucket: string, key: string, body: string | Uint8Array): Promise<void>;
  remove(bucket: string, key: string): Promise<void>;
  createBucket(bucket: string): Promise<void>;
  /**
   * Where s3rver keeps an object's bytes: write there to create a large object without
   * uploading it (s3rver computes its ETag on first read).
   */
  objectPath(bucket: string, key: string): string;
  stop(): Promise<void>;
}

export async function startS3(opts: StartS3Options = {}): Promise<S3TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'modelgate-s3rver-'));
  const lifetimeMs = opts.lifetimeMs ?? 10 * 60_000;
  const child = fork(CHILD, [JSON.stringify({ directory, buckets: opts.buckets ?? [], lifetimeMs })], {
    execArgv: ['--openssl-legacy-provider'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const port = await childPort(child).catch((err: unknown) => {
    rmSync(directory, { recursive: true, force: true });
    throw err;
  });
  const upstream = `http://127.0.0.1:${port}`;
  const proxy = (opts.deny && opts.deny.length > 0) || opts.fault ? await startProxy(port, opts.deny ?? [], opts.fault) : undefined;
  const endpoint = proxy ? `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` : upstream;

  const env = {
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
  };
  const client = new S3Client({
    endpoint: upstream,
    forcePathStyle: true,
    region: env.AWS_REGION,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    // s3rver predates flexible checksums: no aws-chunked trailers on uploads.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    client.destroy();
    if (proxy) await closeServer(proxy);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.ref(); // wait for it even when nothing else keeps the parent alive
      child.send('stop');
      await exited;
    }
    rmSync(directory, { recursive: true, force: true });
  };
  // Once it listens, the child must not keep the parent alive: it stops itself after
  // lifetimeMs, or when the parent exits (IPC disconnect).
  child.unref();
  child.channel?.unref();
  (child.stderr as { unref?: () => void } | null)?.unref?.();

  return {
    endpoint,
    env,
    client,
    directory,
    async put(bucket, key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: typeof body === 'string' ? Buffer.from(body) : body }));
    },
    async remove(bucket, key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    async createBucket(bucket) {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
    },
    objectPath(bucket, key) {
      const parts = key.split('/');
      const last = parts.pop()!;
      const path = join(directory, bucket, ...parts, `${last}._S3rver_object`);
      mkdirSync(dirname(path), { recursive: true });
      return path;
    },
    stop,
  };
}

function childPort(child: ChildProcess): Promise<number> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port?: number }) => (m.port ? resolve(m.port) : reject(new Error('s3rver sent no port'))));
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code}) before listening: ${stderr}`)));
    child.once('error', reject);
  });
}

/** The messages S3 itself sends with these codes. */
const MESSAGES: Record<string, string> = {
  AccessDenied: 'Access Denied',
  SlowDown: 'Please reduce your request rate.',
  InternalError: 'We encountered an internal error. Please try again.',
  ServiceUnavailable: 'Service is unable to handle request.',
};
const errorXml = (code: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${MESSAGES[code] ?? code}</Message></Error>`;

/** The bucket/key (or bucket/list-prefix) a path-style request is about. */
function requestTarget(req: IncomingMessage): string {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const [bucket = '', ...rest] = decodeURIComponent(url.pathname.replace(/^\//, '')).split('/');
  const key = rest.join('/');
  const prefix = url.searchParams.get('prefix');
  return key === '' && prefix !== null ? `${bucket}/${prefix}` : `${bucket}/${key}`;
}

function startProxy(upstreamPort: number, deny: string[], fault: StartS3Options['fault']): Promise<Server> {
  const proxy = createServer((req: IncomingMessage, res: ServerResponse) => {
    const target = requestTarget(req);
    const answer = deny.some((d) => target.startsWith(d)) ? { status: 403, code: 'AccessDenied' } : fault?.(target, req.method ?? 'GET');
    if (answer) {
      req.resume();
      res.writeHead(answer.status, { 'content-type': 'application/xml' });
      res.end(req.method === 'HEAD' ? undefined : errorXml(answer.code));
      return;
    }
    const up = httpRequest(
      { host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  return new Promise((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(0, '127.0.0.1', () => resolve(proxy.unref()));
  });
}

function closeServer(s: Server): Promise<void> {
  s.closeAllConnections();
  return new Promise((resolve) => s.close(() => resolve()));
}

/** A TCP port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
