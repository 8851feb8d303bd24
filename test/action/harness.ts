/**
 * The GitHub runner, as far as modelgate's Action can tell: `node <bundle>/action.js` with the
 * runner's environment (INPUT_* named as the runner names them, GITHUB_EVENT_PATH holding a
 * webhook-shaped payload, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files), a checkout made the way
 * actions/checkout makes it (shallow, credentials in an included config file in RUNNER_TEMP),
 * a real remote (a bare repository behind `git http-backend` with a token check) and the
 * stateful fake GitHub API.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { ACTION, runNode, type RunResult } from '../helpers/cli';
import { clone, gitIn, makeBareRemote, type BareRemote, type TestRepo } from '../helpers/git';
import { startGitHttpServer, type GitHttpServer } from '../helpers/gitHttp';
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from '../helpers/fakeGitHub';
import { makeRegistry } from '../helpers/registry';

export const OWNER = 'acme';
export const REPO = 'models';
/** Shaped like the real ones (ghs_ + 36 characters), unique per test process. */
export const TOKEN = `ghs_${randomUUID().replace(/-/g, '').slice(0, 36)}`;
export const READ_ONLY_TOKEN = `ghs_${randomUUID().replace(/-/g, '').slice(0, 36)}`;

export interface World {
  remote: BareRemote;
  server: GitHttpServer;
  gh: FakeGitHub;
  /** The remote's URL as actions/checkout configures it (no credentials in it). */
  url: string;
  /** A developer's clone (file access to the remote) for preparing commits and PR refs. */
  dev: TestRepo;
  /** The remote's `git` (reads its refs and log). */
  remoteGit(args: string[]): Promise<string>;
  /** Runs `fn` once, when the next push reaches the remote and before git sees it (to move the branch under it). */
  onNextPush(fn: () => Promise<void>): void;
  cleanup(): Promise<void>;
}

/**
 * A pass-through HTTP proxy in front of the git server that can run a hook before the next
 * push (`git-receive-pack` POST) is handed on: the branch moves between the pusher's fetch and
 * its push, so the push is rejected as non-fast-forward for real.
 */
async function pushHookProxy(target: string): Promise<{ url: string; hooks: (() => Promise<void>)[]; stop(): Promise<void> }> {
  const hooks: (() => Promise<void>)[] = [];
  const to = new URL(target);
  const server: Server = createServer((req, res) => {
    const forward = () => {
      const up = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.headersSent || res.writeHead(502).end());
      req.pipe(up);
    };
    const hook = req.method === 'POST' && (req.url ?? '').endsWith('/git-receive-pack') ? hooks.shift() : undefined;
    if (!hook) return forward();
    req.pause();
    hook().then(forward, (err: Error) => res.writeHead(500).end(`push hook failed: ${err.message}`));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hooks,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A registry repository (test/helpers/registry.ts, with overrides) on a remote, plus the fake API. */
export async function makeWorld(
  overrides: Record<string, string | null> = {},
  o: { fake?: Partial<FakeGitHubOptions>; publicRepo?: boolean } = {},
): Promise<World> {
  const seed = await makeRegistry(overrides);
  const remote = await makeBareRemote();
  await seed.git(['push', '-q', remote.dir, 'main']);
  await seed.cleanup();
  // A public repository lets anyone fetch (a fork PR's checkout); pushing always needs the token.
  const server = await startGitHttpServer({ root: remote.root, token: TOKEN, anonymousRead: o.publicRepo ?? false });
  const gh = await startFakeGitHub({ owner: OWNER, repo: REPO, tokens: [TOKEN], readOnlyTokens: [READ_ONLY_TOKEN], bareRepo: remote.dir, maxPerPage: 2, ...o.fake });
  const dev = await clone(remote.dir);
  const proxy = await pushHookProxy(server.url(remote.name));
  return {
    remote,
    server,
    gh,
    url: `${proxy.url}/${remote.name}`,
    dev,
    remoteGit: (args) => gitIn(remote.dir, args),
    onNextPush: (fn) => proxy.hooks.push(fn),
    cleanup: async () => {
      await Promise.all([proxy.stop(), server.stop(), gh.stop()]);
      await Promise.all([remote.cleanup(), dev.cleanup()]);
    },
  };
}

export interface PullRequestRefs {
  number: number;
  base: string;
  head: string;
  merge: string;
}

/**
 * Opens (or updates) pull request `number` the way GitHub does: the developer's branch is
 * pushed as refs/pull/N/head, and GitHub's test merge of it into the base branch tip as
 * refs/pull/N/merge.
 */
export async function pushPullRequest(w: World, number: number, change: (dev: TestRepo) => Promise<void>, message = `change for #${number}`): Promise<PullRequestRefs> {
  const { dev } = w;
  await dev.git(['fetch', '-q', 'origin']);
  const branch = `pr-${number}`;
  const exists = (await dev.git(['branch', '--list', branch])).trim() !== '';
  await dev.git(exists ? ['checkout', '-q', branch] : ['checkout', '-q', '-b', branch, 'origin/main']);
  await change(dev);
  const head = await dev.commitAll(message);
  const base = (await dev.git(['rev-parse', 'origin/main'])).trim();
  await dev.git(['checkout', '-q', '--detach', base]);
  await dev.git(['merge', '-q', '--no-ff', '-m', `Merge ${head} into ${base}`, head]);
  const merge = (await dev.git(['rev-parse', 'HEAD'])).trim();
  await dev.git(['push', '-q', '-f', 'origin', `${head}:refs/pull/${number}/head`, `${merge}:refs/pull/${number}/merge`]);
  await dev.git(['checkout', '-q', branch]);
  return { number, base, head, merge };
}

/** Commits a change straight onto the remote's main (someone else's push). */
export async function pushToMain(w: World, change: (dev: TestRepo) => Promise<void>, message: string): Promise<string> {
  const { dev } = w;
  await dev.git(['fetch', '-q', 'origin']);
  await dev.git(['checkout', '-q', '-B', 'main', 'origin/main']);
  await change(dev);
  const sha = await dev.commitAll(message);
  await dev.git(['push', '-q', 'origin', 'main']);
  return sha;
}

export interface Runner {
  /** RUNNER_TEMP */
  temp: string;
  /** GITHUB_WORKSPACE: the checkout. */
  workspace: string;
  cleanup(): Promise<void>;
}

/**
 * A checkout as actions/checkout (v6) leaves one: `git init`, origin without credentials,
 * the token as `http.<origin>/.extraheader = AUTHORIZATION: basic base64(x-access-token:TOKEN)`
 * in a credentials file under RUNNER_TEMP that the local config includes (includeIf gitdir),
 * then a shallow fetch (`--depth=1`) of one commit. (v4 and v5 write the same extraheader
 * into .git/config directly; git sends the same header either way.) A pull request's merge commit is checked
 * out detached; a branch is checked out with `-B <branch>`.
 */
export async function actionsCheckout(w: World, at: { pr: number; sha: string } | { branch: string; sha: string }, opts: { token?: string; depth?: number } = {}): Promise<Runner> {
  const temp = await mkdtemp(join(tmpdir(), 'mg-runner-'));
  const workspace = join(temp, 'work', REPO, REPO);
  try {
    await mkdir(workspace, { recursive: true });
    const git = (args: string[]) => gitIn(workspace, args);
    await git(['init', '-q']);
    await git(['remote', 'add', 'origin', w.url]);
    await git(['config', '--local', 'gc.auto', '0']);
    const origin = new URL(w.url).origin;
    const credentials = join(temp, `git-credentials-${randomUUID()}.config`);
    const basic = Buffer.from(`x-access-token:${opts.token ?? TOKEN}`, 'utf8').toString('base64');
    await gitIn(temp, ['config', '--file', credentials, `http.${origin}/.extraheader`, `AUTHORIZATION: basic ${basic}`]);
    const gitDir = join(workspace, '.git');
    await git(['config', '--local', `includeIf.gitdir:${gitDir}.path`, credentials]);
    await git(['config', '--local', `includeIf.gitdir:${gitDir}/worktrees/*.path`, credentials]);
    const depth = opts.depth === 0 ? [] : [`--depth=${opts.depth ?? 1}`];
    const fetch = ['-c', 'protocol.version=2', 'fetch', '--no-tags', '--prune', '--no-recurse-submodules', '-q', ...depth, 'origin'];
    if ('pr' in at) {
      await git([...fetch, `+${at.sha}:refs/remotes/pull/${at.pr}/merge`]);
      await git(['checkout', '-q', '--force', `refs/remotes/pull/${at.pr}/merge`]);
    } else {
      await git([...fetch, `+${at.sha}:refs/remotes/origin/${at.branch}`]);
      await git(['checkout', '-q', '--force', '-B', at.branch, `refs/remotes/origin/${at.branch}`]);
    }
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
  return { temp, workspace, cleanup: () => rm(temp, { recursive: true, force: true }) };
}

export interface ActionRun extends RunResult {
  outputs: Record<string, string>;
  summary: string;
  /** The runner's view of stdout: one entry per line as it splits them (\n, \r or \r\n). */
  lines: string[];
}

const ACTION_YML = resolve(__dirname, '../../action.yml');

/** Every input the runner would pass: action.yml defaults, then the step's `with:`. */
async function inputEnv(token: string, given: Record<string, string>): Promise<Record<string, string>> {
  const spec = parse(await readFile(ACTION_YML, 'utf8')) as { inputs: Record<string, { default?: string }> };
  const env: Record<string, string> = {};
  for (const [name, def] of Object.entries(spec.inputs)) {
    const value = name in given ? given[name]! : name === 'github-token' ? token : (def.default ?? '');
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  for (const [name, value] of Object.entries(given)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  return env;
}

export interface RunOptions {
  event: 'pull_request' | 'pull_request_review' | 'merge_group' | 'push' | 'workflow_dispatch' | 'schedule' | 'pull_request_target';
  payload: Record<string, unknown>;
  /** The step's `with:` (kebab-case names). */
  inputs?: Record<string, string>;
  token?: string;
  actor?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export async function runAction(w: World | undefined, runner: Runner, o: RunOptions): Promise<ActionRun> {
  const files = join(runner.temp, '_runner_file_commands');
  await mkdir(join(runner.temp, '_github_workflow'), { recursive: true });
  await mkdir(files, { recursive: true });
  const eventPath = join(runner.temp, '_github_workflow', 'event.json');
  const outputPath = join(files, `set_output_${randomUUID()}`);
  const summaryPath = join(files, `step_summary_${randomUUID()}`);
  await writeFile(eventPath, JSON.stringify(o.payload, null, 2));
  await writeFile(outputPath, '');
  await writeFile(summaryPath, '');
  const token = o.token ?? TOKEN;
  const actor = o.actor ?? 'octocat';
  const env: Record<string, string> = {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: o.event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_WORKSPACE: runner.workspace,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_REPOSITORY_OWNER: OWNER,
    GITHUB_ACTOR: actor,
    GITHUB_TRIGGERING_ACTOR: actor,
    // The runner sets GITHUB_REF to the event's ref (a dispatch's, a push's).
    ...(typeof o.payload.ref === 'string' ? { GITHUB_REF: o.payload.ref } : {}),
    GITHUB_API_URL: w?.gh.url ?? 'http://127.0.0.1:9',
    GITHUB_GRAPHQL_URL: `${w?.gh.url ?? 'http://127.0.0.1:9'}/graphql`,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKFLOW: 'modelgate',
    GITHUB_JOB: 'gate',
    RUNNER_TEMP: runner.temp,
    RUNNER_OS: 'Linux',
    // Retries stay real but fast.
    MODELGATE_RETRY_BASE_MS: '5',
    ...(await inputEnv(token, o.inputs ?? {})),
    ...o.env,
  };
  const r = await runNode(ACTION, [], { cwd: runner.workspace, env, timeoutMs: o.timeoutMs ?? 60_000 });
  return {
    ...r,
    outputs: parseOutputs(await readFile(outputPath, 'utf8')),
    summary: await readFile(summaryPath, 'utf8'),
    lines: r.stdout.split(/\r\n|\r|\n/),
  };
}

/** GITHUB_OUTPUT's `name<<DELIMITER\nvalue\nDELIMITER` blocks (what @actions/core writes). */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]!);
    out[m[1]!] = value.join('\n');
  }
  return out;
}

/** Workflow commands the runner would obey in this stdout: `::name props::data` lines. */
export function workflowCommands(run: ActionRun): { name: string; props: Record<string, string>; data: string }[] {
  const out: { name: string; props: Record<string, string>; data: string }[] = [];
  for (const line of run.lines) {
    const m = /^[\s\u0085]*::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) continue;
    const props: Record<string, string> = {};
    for (const kv of (m[2] ?? '').split(',').filter(Boolean)) {
      const at = kv.indexOf('=');
      props[kv.slice(0, at)] = unescapeProperty(kv.slice(at + 1));
    }
    out.push({ name: m[1]!, props, data: m[3]! });
  }
  return out;
}

function unescapeProperty(s: string): string {
  return s.replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
}

/**
 * The token never shows: not in stderr, the summary or the outputs, and in stdout only inside
 * the `::add-mask::` command that tells the runner to mask it (the runner does not echo it).
 */
export function expectTokenHidden(run: ActionRun, token: string, check: (cond: boolean, what: string) => void): void {
  const visible = run.lines.filter((l) => l !== `::add-mask::${token}`).join('\n');
  check(!visible.includes(token), 'stdout (outside ::add-mask::) holds the token');
  check(!run.stderr.includes(token), 'stderr holds the token');
  check(!run.summary.includes(token), 'the job summary holds the token');
  check(!JSON.stringify(run.outputs).includes(token), 'an output holds the token');
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  check(!(run.stdout + run.stderr + run.summary).includes(basic), 'the basic credential leaked');
}

// ---------------------------------------------------------------------------------------------
// Event payloads, shaped like GitHub's webhooks (the fields modelgate reads and the usual others)

function user(login: string, id = 1000) {
  return { login, id, node_id: `U_${id}`, type: login.endsWith('[bot]') ? 'Bot' : 'User', site_admin: false, html_url: `https://github.com/${login}` };
}

export function repositoryPayload(fullName = `${OWNER}/${REPO}`, fork = false) {
  const [owner, name] = fullName.split('/') as [string, string];
  return {
    id: fork ? 2002 : 1001,
    node_id: 'R_kgDOexample',
    name,
    full_name: fullName,
    private: false,
    owner: user(owner, fork ? 66 : 55),
    html_url: `https://github.com/${fullName}`,
    fork,
    url: `https://api.github.com/repos/${fullName}`,
    clone_url: `https://github.com/${fullName}.git`,
    default_branch: 'main',
    visibility: 'public',
  };
}

export function pullRequestPayload(pr: PullRequestRefs, o: { author?: string; fork?: boolean; action?: string } = {}) {
  const author = o.author ?? 'dana';
  const headRepo = repositoryPayload(o.fork ? `mallory/${REPO}` : `${OWNER}/${REPO}`, o.fork);
  return {
    action: o.action ?? 'synchronize',
    number: pr.number,
    before: '0'.repeat(40),
    after: pr.head,
    pull_request: {
      url: `https://api.github.com/repos/${OWNER}/${REPO}/pulls/${pr.number}`,
      id: 90000 + pr.number,
      node_id: `PR_${pr.number}`,
      html_url: `https://github.com/${OWNER}/${REPO}/pull/${pr.number}`,
      number: pr.number,
      state: 'open',
      locked: false,
      title: `Promote churn-predictor (#${pr.number})`,
      user: user(author, 77),
      body: 'Promotes the retrained model.',
      created_at: '2026-11-20T10:00:00Z',
      updated_at: '2026-11-21T10:00:00Z',
      merge_commit_sha: pr.merge,
      draft: false,
      head: { label: `${o.fork ? 'mallory' : OWNER}:pr-${pr.number}`, ref: `pr-${pr.number}`, sha: pr.head, user: user(o.fork ? 'mallory' : OWNER), repo: headRepo },
      base: { label: `${OWNER}:main`, ref: 'main', sha: pr.base, user: user(OWNER, 55), repo: repositoryPayload() },
      author_association: o.fork ? 'CONTRIBUTOR' : 'MEMBER',
      merged: false,
      mergeable: null,
      commits: 1,
      additions: 3,
      deletions: 2,
      changed_files: 2,
    },
    repository: repositoryPayload(),
    organization: { login: OWNER, id: 55 },
    sender: user(author, 77),
  };
}

/** pull_request_review (submitted): the review, and the same `pull_request` object. */
export function reviewPayload(pr: PullRequestRefs, reviewer: string, o: { author?: string } = {}) {
  const base = pullRequestPayload(pr, o);
  return {
    action: 'submitted',
    review: {
      id: 70000 + pr.number,
      node_id: `PRR_${pr.number}`,
      user: user(reviewer, 99),
      body: 'LGTM',
      commit_id: pr.head,
      submitted_at: '2026-11-21T11:00:00Z',
      state: 'approved',
      html_url: `https://github.com/${OWNER}/${REPO}/pull/${pr.number}#pullrequestreview-${70000 + pr.number}`,
      author_association: 'MEMBER',
    },
    pull_request: base.pull_request,
    repository: base.repository,
    organization: base.organization,
    sender: user(reviewer, 99),
  };
}

export function pushPayload(o: { before: string; after: string; ref?: string; pusher?: string }) {
  const pusher = o.pusher ?? 'octocat';
  return {
    ref: o.ref ?? 'refs/heads/main',
    before: o.before,
    after: o.after,
    base_ref: null,
    created: /^0+$/.test(o.before),
    deleted: false,
    forced: false,
    compare: `https://github.com/${OWNER}/${REPO}/compare/${o.before.slice(0, 12)}...${o.after.slice(0, 12)}`,
    commits: [{ id: o.after, tree_id: 'f'.repeat(40), distinct: true, message: 'Merge pull request #12 from acme/pr-12', timestamp: '2026-11-22T10:00:00Z', author: { name: pusher, email: `${pusher}@example.com`, username: pusher }, added: [], removed: [], modified: ['registry/churn-predictor.yaml'] }],
    head_commit: { id: o.after, message: 'Merge pull request #12 from acme/pr-12', timestamp: '2026-11-22T10:00:00Z' },
    repository: { ...repositoryPayload(), master_branch: 'main' },
    pusher: { name: pusher, email: `${pusher}@example.com` },
    organization: { login: OWNER, id: 55 },
    sender: user(pusher, 88),
  };
}

export function dispatchPayload(inputs: Record<string, string>, actor = 'octocat') {
  return {
    inputs,
    ref: 'refs/heads/main',
    repository: repositoryPayload(),
    organization: { login: OWNER, id: 55 },
    sender: user(actor, 88),
    workflow: '.github/workflows/rollback.yml',
  };
}

/** merge_group (checks_requested): the group commit queued onto `base` for pull request `pr`. */
export function mergeGroupPayload(o: { base: string; head: string; pr: number; prHead: string; baseBranch?: string }) {
  const branch = o.baseBranch ?? 'main';
  return {
    action: 'checks_requested',
    merge_group: {
      head_sha: o.head,
      head_ref: `refs/heads/gh-readonly-queue/${branch}/pr-${o.pr}-${o.prHead}`,
      base_sha: o.base,
      base_ref: `refs/heads/${branch}`,
      head_commit: { id: o.head, tree_id: 'f'.repeat(40), message: `Merge pull request #${o.pr} from acme/pr-${o.pr}`, timestamp: '2026-11-22T10:00:00Z', author: { name: 'GitHub', email: 'noreply@github.com' }, committer: { name: 'GitHub', email: 'noreply@github.com' } },
    },
    repository: repositoryPayload(),
    organization: { login: OWNER, id: 55 },
    sender: user('dana', 77),
  };
}
