/**
 * A real smart-HTTP git server for tests: node's http server in front of `git http-backend`
 * (CGI), bound to 127.0.0.1 on an ephemeral port. With `token`, every request needs HTTP Basic
 * auth whose password is the token (any user name), as GitHub does with `x-access-token`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>/<repoName>`, with `x-access-token:<token>@` when a token is given. */
  url(repoName: string, token?: string): string;
  stop(): Promise<void>;
}

export interface GitHttpOptions {
  /** Directory holding the bare repositories. */
  root: string;
  /** Required password (HTTP Basic). */
  token?: string;
  /** Let fetches and clones through without auth (a public repository); pushes still need the token. */
  anonymousRead?: boolean;
  /** The server stops itself after this long, in case a test forgets (default 5 min). */
  lifetimeMs?: number;
}

export async function startGitHttpServer(opts: GitHttpOptions): Promise<GitHttpServer> {
  const children = new Set<ChildProcess>();
  const server = createServer((req, res) => {
    const user = authorize(req, opts);
    if (user === undefined) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"', 'Content-Type': 'text/plain' }).end('authentication required\n');
      return;
    }
    const child = cgi(req, res, opts.root, user);
    children.add(child);
    child.on('close', () => children.delete(child));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= new Promise<void>((resolve) => {
      clearTimeout(timer);
      for (const c of children) c.kill();
      server.closeAllConnections();
      server.close(() => resolve());
    }));
  const timer = setTimeout(() => void stop(), opts.lifetimeMs ?? 5 * 60_000);
  timer.unref();

  return {
    url: (name, token) => `http://${token === undefined ? '' : `x-access-token:${encodeURIComponent(token)}@`}127.0.0.1:${port}/${name}`,
    stop,
  };
}

/** The authenticated user name, '' for an allowed anonymous read, undefined to refuse. */
function authorize(req: IncomingMessage, opts: GitHttpOptions): string | undefined {
  const header = req.headers.authorization ?? '';
  const m = /^Basic\s+(\S+)$/i.exec(header);
  if (m) {
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const [user, pass] = colon === -1 ? [decoded, ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
    if (opts.token === undefined || pass === opts.token) return user || 'git';
  }
  if (opts.token === undefined) return 'anonymous';
  const isPush = (req.url ?? '').includes('git-receive-pack');
  return opts.anonymousRead && !isPush ? '' : undefined;
}

/** Runs `git http-backend` for one request and streams both bodies (gzip is decoded by git). */
function cgi(req: IncomingMessage, res: ServerResponse, root: string, user: string): ChildProcess {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.replace(/^\?/, ''),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_ADDR: '127.0.0.1',
    ...(user ? { REMOTE_USER: user } : {}),
    ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
    ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
    ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
  };
  const child = spawn('git', ['-c', 'http.receivepack=true', 'http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  req.pipe(child.stdin);
  child.stdin.on('error', () => undefined);
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  child.on('error', (e) => {
    if (!res.headersSent) res.writeHead(500).end(String(e));
  });

  // CGI output: headers, a blank line, then the body.
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    const end = headerEnd(head);
    if (end === undefined) return;
    child.stdout.off('data', onData);
    const { status, headers } = parseCgiHeaders(head.subarray(0, end.at).toString('latin1'));
    res.writeHead(status, headers);
    res.write(head.subarray(end.at + end.length));
    child.stdout.pipe(res);
  };
  child.stdout.on('data', onData);
  child.on('close', (code) => {
    if (res.headersSent) return;
    res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`git http-backend exited ${code}: ${stderr}`);
  });
  return child;
}

function headerEnd(b: Buffer): { at: number; length: number } | undefined {
  const crlf = b.indexOf('\r\n\r\n');
  const lf = b.indexOf('\n\n');
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { at: crlf, length: 4 };
  if (lf !== -1) return { at: lf, length: 2 };
  return undefined;
}

function parseCgiHeaders(text: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
    else headers[name] = value;
  }
  return { status, headers };
}
