/**
 * The Action's adapters on their own: log lines that user text cannot turn into workflow
 * commands (property-tested against the runner's parsing rules), and the GitHub adapter's
 * answers to refusals, compare-and-swap failures and identities, against the fake API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inertLegacy, logSafe } from '../../src/action/log';
import { createGitHub, GitHubApiError } from '../../src/github/client';
import { createCommitOnBranch, HeadMovedError } from '../../src/github/commitOnBranch';
import { COMMENT_MARKER, ownLogin, upsertComment } from '../../src/github/comment';
import { teamMembers } from '../../src/github/reviews';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fakeGitHub';

/** How the runner reads a log: lines end at \n, \r or \r\n; `::` after .NET white space starts a command; `##[` anywhere is the legacy form. */
function runnerCommands(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((line) => /^[\s\u0085]*::/.test(line) || line.includes('##['));
}

describe('logSafe', () => {
  const pieces = fc.constantFrom('::', '##[', '\r', '\n', '\r\n', ' ', '\t', '\u0085', '\u00a0', '\u2028', '%0A', 'error', 'x', ']', ':', '#', '[');
  const hostile = fc.array(pieces, { maxLength: 40 }).map((a) => a.join(''));

  it('never leaves a line the runner would take as a workflow command', () => {
    fc.assert(
      fc.property(fc.oneof(hostile, fc.string({ unit: 'binary', maxLength: 60 })), (text) => {
        expect(runnerCommands(logSafe(text))).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps ordinary text as it is, and every line of it', () => {
    fc.assert(
      fc.property(fc.array(fc.string().map((l) => l.replace(/[\r\n:#]/g, '')), { maxLength: 8 }), (lines) => {
        expect(logSafe(lines.join('\n'))).toBe(lines.join('\n'));
      }),
    );
    expect(logSafe('  ::error::x\r##[warning]y')).toBe('  \\::error::x\n##\\[warning]y');
    expect(inertLegacy('a ##[error]b')).toBe('a ##\\[error]b');
  });
});

describe('GitHub adapter', () => {
  const TOKEN = 'ghs_adapterTest000000000000000000000000';
  const APP = 'ghs_appInstallation00000000000000000000';
  let gh: FakeGitHub;
  let work: string;
  let bare: string;
  const repo = { owner: 'acme', repo: 'models' };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'mg-adapter-'));
    bare = join(work, 'remote.git');
    const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
    const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
    git(work, 'init', '-q', '--bare', '-b', 'main', bare);
    const seed = join(work, 'seed');
    git(work, 'init', '-q', '-b', 'main', seed);
    writeFileSync(join(seed, 'a.txt'), 'a\n');
    git(seed, 'add', 'a.txt');
    git(seed, 'commit', '-q', '-m', 'init');
    git(seed, 'push', '-q', bare, 'main');
    gh = await startFakeGitHub({ ...repo, tokens: [TOKEN, APP], loginOf: { [APP]: 'modelgate-app[bot]' }, bareRepo: bare, maxPerPage: 2 });
  });
  afterAll(async () => {
    await gh.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('a stale expectedHeadOid is a HeadMovedError at once: an answer, not an outage to retry', async () => {
    const api = await createGitHub({ token: TOKEN, baseUrl: gh.url, backoffMs: 1 });
    const before = gh.requests.filter((r) => r.path === '/graphql').length;
    const err = await createCommitOnBranch(api, { repository: 'acme/models', branch: 'main', expectedHeadOid: '0'.repeat(40), headline: 'x', body: '', files: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HeadMovedError);
    expect(gh.requests.filter((r) => r.path === '/graphql').length - before).toBe(1);
  });

  it('an app installation token finds its own sticky comment by the login GraphQL viewer gives', async () => {
    const api = await createGitHub({ token: APP, baseUrl: gh.url, backoffMs: 1 });
    expect(await ownLogin(api)).toBe('modelgate-app[bot]');
    gh.addComment(31, 'github-actions[bot]', `${COMMENT_MARKER}\nsomeone else's bot`);
    const first = await upsertComment(api, repo, 31, 'one');
    const second = await upsertComment(api, repo, 31, 'two');
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    expect(gh.comments.get(31)!.find((c) => c.user.login === 'github-actions[bot]')!.body).toContain("someone else's bot");
  });

  it('a team the token cannot read fails with the remedy in the message; an outage is marked as one', async () => {
    const api = await createGitHub({ token: TOKEN, baseUrl: gh.url, backoffMs: 1 });
    const refused = (await teamMembers(api, '@acme/secret-team').catch((e: unknown) => e)) as GitHubApiError;
    expect(refused).toBeInstanceOf(GitHubApiError);
    expect(refused.outage).toBe(false);
    expect(refused.message).toMatch(/GITHUB_TOKEN cannot read organization teams/);
    expect(refused.message).toMatch(/read:org/);
    gh.teams.set('acme/ml-leads', ['erin']);
    gh.inject({ match: /^GET \/orgs\/acme\/teams\/ml-leads\/members/, status: 503, times: 10 });
    const down = (await teamMembers(api, '@acme/ml-leads').catch((e: unknown) => e)) as GitHubApiError;
    expect(down).toBeInstanceOf(GitHubApiError);
    expect(down.outage).toBe(true);
    expect(down.message).not.toContain(TOKEN);
  });
});
