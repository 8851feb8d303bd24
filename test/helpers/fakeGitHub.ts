/**
 * A local, stateful stand-in for the few GitHub API endpoints modelgate calls, answering with
 * bodies shaped like GitHub's (octokit's types): issue comments (paginated), pull request
 * reviews (paginated, with each reviewer's `author_association`), a commit's associated pull
 * requests, team members, GET /user, and
 * GraphQL `createCommitOnBranch`, which really commits into a bare repository with git plumbing
 * and refuses a stale `expectedHeadOid` exactly as GitHub does. Failures (5xx, rate limits) are injected on demand.
 *
 * Binds 127.0.0.1 on an ephemeral port and stops itself after `lifetimeMs`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; id: number; type: 'User' | 'Bot' };
  created_at: string;
  updated_at: string;
}

export interface FakeReview {
  id: number;
  user: { login: string; id: number; type: 'User' };
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
  commit_id: string;
  submitted_at: string;
  body: string;
  /** GitHub's `author-association` of the reviewer (octokit's components["schemas"]["author-association"]). */
  author_association: FakeAssociation;
}

export type FakeAssociation = 'COLLABORATOR' | 'CONTRIBUTOR' | 'FIRST_TIMER' | 'FIRST_TIME_CONTRIBUTOR' | 'MANNEQUIN' | 'MEMBER' | 'NONE' | 'OWNER';

/** The fields of a pull request (GET /repos/{o}/{r}/pulls/{n}) the fake answers with. */
export interface FakePull {
  number: number;
  state: 'open' | 'closed';
  merged: boolean;
  head: { sha: string; ref: string };
  base: { sha: string; ref: string };
  user: { login: string; id: number; type: 'User' };
  /** Set once merged: the merge, squash or rebase result commit (GitHub's merge_commit_sha). */
  merge_commit_sha?: string | null;
  merged_at?: string | null;
  /** The PR's own commits: `GET /commits/{sha}/pulls` associates the PR with each (and with its merge commit). */
  commits?: string[];
}

export interface Injected {
  /** Matched against `METHOD /path` (e.g. /^GET \/repos\/.*\/reviews/). */
  match: RegExp;
  status: number;
  times: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Accept the request and never answer (a stalled API); `status` is only what is logged. */
  hang?: boolean;
  /** Carry the request out, then answer `status` instead of the result (the answer was lost). */
  lost?: boolean;
}

export interface FakeGitHubOptions {
  owner: string;
  repo: string;
  /** Tokens that may write. */
  tokens: string[];
  /** Tokens that may only read (a fork PR's GITHUB_TOKEN): writes answer 403. */
  readOnlyTokens?: string[];
  /** The login GET /user answers for a token; absent → 403 like an installation token. */
  loginOf?: Record<string, string>;
  /** The login comments are created under (the Actions bot by default). */
  botLogin?: string;
  /** Bare repository createCommitOnBranch writes to. */
  bareRepo?: string;
  /** Page size cap, so tests exercise pagination with few items. */
  maxPerPage?: number;
  lifetimeMs?: number;
}

export interface FakeGitHub {
  url: string;
  comments: Map<number, FakeComment[]>;
  reviews: Map<number, FakeReview[]>;
  teams: Map<string, string[]>;
  pulls: Map<number, FakePull>;
  requests: { method: string; path: string; status: number }[];
  inject(f: Omit<Injected, 'times'> & { times?: number }): void;
  /** A review by `login`; `association` is how GitHub relates them to the repository (MEMBER: an org member with access). */
  addReview(pr: number, login: string, state: FakeReview['state'], commit: string, association?: FakeAssociation): void;
  addComment(issue: number, login: string, body: string): FakeComment;
  /** Runs `fn` once, just before the next createCommitOnBranch is judged (e.g. to move the branch under it). */
  onNextCommit(fn: () => Promise<void>): void;
  stop(): Promise<void>;
}

const now = () => new Date().toISOString();

function run(cmd: string[], cwd: string, input?: string | Buffer, env?: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd[0]!, cmd.slice(1), { cwd, env: { ...process.env, ...env } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on('data', (b: Buffer) => out.push(b));
    p.stderr.on('data', (b: Buffer) => err.push(b));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out).toString().trim()) : reject(new Error(`${cmd.join(' ')}: ${Buffer.concat(err).toString()}`))));
    p.stdin.on('error', () => undefined); // git may exit before reading stdin (EPIPE)
    p.stdin.end(input ?? '');
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeGitHub(o: FakeGitHubOptions): Promise<FakeGitHub> {
  const comments = new Map<number, FakeComment[]>();
  const reviews = new Map<number, FakeReview[]>();
  const teams = new Map<string, string[]>();
  const pulls = new Map<number, FakePull>();
  const requests: FakeGitHub['requests'] = [];
  const injected: Injected[] = [];
  const bot = o.botLogin ?? 'github-actions[bot]';
  let nextId = 1000;
  // createCommitOnBranch is a compare-and-swap: serialize them like GitHub does per ref.
  let commitQueue: Promise<unknown> = Promise.resolve();
  const beforeCommit: (() => Promise<void>)[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => send(res, 500, { message: `fake GitHub bug: ${err.message}` }));
  });

  // Requests carried out whose answer is replaced by an injected failure (Injected.lost).
  const lostAnswers = new Map<ServerResponse, Injected>();

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const lost = lostAnswers.get(res);
    if (lost) {
      lostAnswers.delete(res);
      res.writeHead(lost.status, { 'content-type': 'application/json; charset=utf-8', ...lost.headers });
      res.end(JSON.stringify(lost.body ?? { message: 'Server Error' }));
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  function paginate<T>(req: IncomingMessage, res: ServerResponse, base: string, items: T[]): void {
    const u = new URL(req.url!, 'http://x');
    const per = Math.min(Number(u.searchParams.get('per_page') ?? 30), o.maxPerPage ?? 100);
    const page = Number(u.searchParams.get('page') ?? 1);
    const slice = items.slice((page - 1) * per, page * per);
    const headers: Record<string, string> = {};
    if (page * per < items.length) {
      const next = new URL(req.url!, base);
      next.searchParams.set('page', String(page + 1));
      next.searchParams.set('per_page', String(per));
      headers.link = `<${next.toString()}>; rel="next"`;
    }
    send(res, 200, slice, headers);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url!, 'http://x');
    const key = `${req.method} ${url.pathname}`;
    const status = (s: number) => requests.push({ method: req.method!, path: url.pathname, status: s });
    const auth = req.headers.authorization ?? '';
    const token = auth.replace(/^(token|bearer)\s+/i, '');
    const writable = o.tokens.includes(token);
    const readable = writable || (o.readOnlyTokens ?? []).includes(token);
    if (!readable) {
      status(401);
      return send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    }
    const fault = injected.find((f) => f.times > 0 && f.match.test(key));
    if (fault?.lost) {
      fault.times--;
      lostAnswers.set(res, fault);
    } else if (fault) {
      fault.times--;
      status(fault.status);
      if (fault.hang) return; // the socket stays open until the client gives up or stop()
      return send(res, fault.status, fault.body ?? { message: fault.status >= 500 ? 'Server Error' : 'API rate limit exceeded' }, fault.headers);
    }
    const base = `http://${req.headers.host}`;
    const repoPrefix = `/repos/${o.owner}/${o.repo}`;
    let m: RegExpExecArray | null;

    if (key === 'GET /user') {
      const login = o.loginOf?.[token];
      status(login ? 200 : 403);
      return login ? send(res, 200, { login, id: 1, type: 'User' }) : send(res, 403, { message: 'Resource not accessible by integration' });
    }
    if ((m = new RegExp(`^GET ${repoPrefix}/issues/(\\d+)/comments$`).exec(key))) {
      status(200);
      return paginate(req, res, base, comments.get(Number(m[1])) ?? []);
    }
    if ((m = new RegExp(`^POST ${repoPrefix}/issues/(\\d+)/comments$`).exec(key))) {
      if (!writable) {
        status(403);
        return send(res, 403, { message: 'Resource not accessible by integration' });
      }
      const body = JSON.parse(await readBody(req)) as { body: string };
      const c = addComment(Number(m[1]), o.loginOf?.[token] ?? bot, body.body);
      status(201);
      return send(res, 201, c);
    }
    if ((m = new RegExp(`^PATCH ${repoPrefix}/issues/comments/(\\d+)$`).exec(key))) {
      if (!writable) {
        status(403);
        return send(res, 403, { message: 'Resource not accessible by integration' });
      }
      const id = Number(m[1]);
      const body = JSON.parse(await readBody(req)) as { body: string };
      for (const list of comments.values()) {
        const c = list.find((x) => x.id === id);
        if (c) {
          c.body = body.body;
          c.updated_at = now();
          status(200);
          return send(res, 200, c);
        }
      }
      status(404);
      return send(res, 404, { message: 'Not Found' });
    }
    if ((m = new RegExp(`^GET ${repoPrefix}/pulls/(\\d+)/reviews$`).exec(key))) {
      status(200);
      return paginate(req, res, base, reviews.get(Number(m[1])) ?? []);
    }
    if ((m = new RegExp(`^GET ${repoPrefix}/pulls/(\\d+)$`).exec(key))) {
      const pull = pulls.get(Number(m[1]));
      status(pull ? 200 : 404);
      return pull ? send(res, 200, { url: `${base}${repoPrefix}/pulls/${pull.number}`, ...pull }) : send(res, 404, { message: 'Not Found' });
    }
    if ((m = new RegExp(`^GET ${repoPrefix}/commits/([0-9a-f]{40})/pulls$`).exec(key))) {
      // Every PR the commit belongs to: merged ones whose merge commit or head it is, and open
      // ones that merely contain it (GitHub lists those too); the client must tell them apart.
      const sha = m[1]!;
      const associated = [...pulls.values()].filter((p) => p.merge_commit_sha === sha || p.head.sha === sha || (p.commits ?? []).includes(sha));
      status(200);
      return paginate(req, res, base, associated.map((p) => ({ url: `${base}${repoPrefix}/pulls/${p.number}`, merge_commit_sha: null, merged_at: null, ...p, commits: undefined })));
    }
    if ((m = /^GET \/orgs\/([^/]+)\/teams\/([^/]+)\/members$/.exec(key))) {
      const members = teams.get(`${m[1]}/${m[2]}`);
      status(members ? 200 : 404);
      if (!members) return send(res, 404, { message: 'Not Found' });
      return paginate(req, res, base, members.map((login, i) => ({ login, id: 5000 + i, type: 'User' })));
    }
    if (key === 'POST /graphql') {
      const { query, variables } = JSON.parse(await readBody(req)) as { query: string; variables: { input: CommitInput } };
      if (/^\s*query\s*\{\s*viewer\s*\{\s*login\s*\}\s*\}\s*$/.test(query)) {
        // GraphQL `viewer` answers for installation tokens too: the Actions bot for GITHUB_TOKEN.
        status(200);
        return send(res, 200, { data: { viewer: { login: o.loginOf?.[token] ?? bot } } });
      }
      if (!/createCommitOnBranch/.test(query)) {
        status(200);
        return send(res, 200, { errors: [{ message: 'fake GitHub: only createCommitOnBranch is implemented' }] });
      }
      if (!writable) {
        status(200);
        return send(res, 200, { data: { createCommitOnBranch: null }, errors: [{ type: 'FORBIDDEN', message: 'Resource not accessible by integration' }] });
      }
      const result = (commitQueue = commitQueue.then(() => commitOnBranch(variables.input), () => commitOnBranch(variables.input)));
      const answer = await result;
      status(200);
      return send(res, 200, answer);
    }
    status(404);
    send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  }

  interface CommitInput {
    branch: { repositoryNameWithOwner: string; branchName: string };
    expectedHeadOid: string;
    message: { headline: string; body?: string };
    fileChanges?: { additions?: { path: string; contents: string }[]; deletions?: { path: string }[] };
  }

  async function commitOnBranch(input: CommitInput): Promise<unknown> {
    if (!o.bareRepo) return { errors: [{ message: 'fake GitHub: no bare repository configured' }] };
    if (input.branch.repositoryNameWithOwner !== `${o.owner}/${o.repo}`) {
      return { data: { createCommitOnBranch: null }, errors: [{ type: 'NOT_FOUND', message: `Could not resolve to a Repository with the name '${input.branch.repositoryNameWithOwner}'.` }] };
    }
    const hook = beforeCommit.shift();
    if (hook) await hook();
    const ref = `refs/heads/${input.branch.branchName}`;
    const git = (args: string[], stdin?: string | Buffer, env?: Record<string, string>) => run(['git', ...args], o.bareRepo!, stdin, env);
    const head = await git(['rev-parse', '--verify', '--quiet', ref]).catch(() => '');
    if (head !== input.expectedHeadOid) {
      return {
        data: { createCommitOnBranch: null },
        errors: [{ type: 'STALE_DATA', path: ['createCommitOnBranch'], message: `Expected branch to point to "${input.expectedHeadOid}" but it did not. Pull and try again.` }],
      };
    }
    const index = `${o.bareRepo}/fake-index-${process.pid}-${nextId++}`;
    const env = { GIT_INDEX_FILE: index };
    await git(['read-tree', head], undefined, env);
    for (const a of input.fileChanges?.additions ?? []) {
      const blob = await git(['hash-object', '-w', '--stdin'], Buffer.from(a.contents, 'base64'));
      await git(['update-index', '--add', '--cacheinfo', `100644,${blob},${a.path}`], undefined, env);
    }
    for (const d of input.fileChanges?.deletions ?? []) await git(['update-index', '--force-remove', d.path], undefined, env);
    const tree = await git(['write-tree'], undefined, env);
    await run(['rm', '-f', index], o.bareRepo);
    const message = input.message.body ? `${input.message.headline}\n\n${input.message.body}\n` : `${input.message.headline}\n`;
    const ident = { GIT_AUTHOR_NAME: 'web-flow', GIT_AUTHOR_EMAIL: 'noreply@github.com', GIT_COMMITTER_NAME: 'GitHub', GIT_COMMITTER_EMAIL: 'noreply@github.com' };
    const oid = await git(['commit-tree', tree, '-p', head, '-F', '-'], message, ident);
    await git(['update-ref', ref, oid, head]);
    return { data: { createCommitOnBranch: { commit: { oid, url: `https://github.com/${o.owner}/${o.repo}/commit/${oid}` } } } };
  }

  function addComment(issue: number, login: string, body: string): FakeComment {
    const c: FakeComment = { id: nextId++, body, user: { login, id: login === bot ? 41898282 : 7, type: login.endsWith('[bot]') ? 'Bot' : 'User' }, created_at: now(), updated_at: now() };
    comments.set(issue, [...(comments.get(issue) ?? []), c]);
    return c;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const timer = setTimeout(() => server.close(), o.lifetimeMs ?? 5 * 60_000);
  timer.unref();
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    comments,
    reviews,
    teams,
    pulls,
    requests,
    inject: (f) => injected.push({ times: 1, ...f }),
    addReview(pr, login, state, commit, association = 'MEMBER') {
      const r: FakeReview = { id: nextId++, user: { login, id: 9, type: 'User' }, state, commit_id: commit, submitted_at: now(), body: '', author_association: association };
      reviews.set(pr, [...(reviews.get(pr) ?? []), r]);
    },
    addComment,
    onNextCommit: (fn) => beforeCommit.push(fn),
    stop: () =>
      new Promise<void>((resolve) => {
        clearTimeout(timer);
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
