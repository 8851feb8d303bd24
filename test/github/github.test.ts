import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fakeGitHub';
import { createGitHub, GitHubApiError, type GitHub } from '../../src/github/client';
import { latestApprovals, prApprovals, teamMembers } from '../../src/github/reviews';
import { COMMENT_MARKER, upsertComment } from '../../src/github/comment';
import { createCommitOnBranch, HeadMovedError } from '../../src/github/commitOnBranch';
import { EnvironmentError } from '../../src/errors';

const repo = { owner: 'acme', repo: 'models' };
const TOKEN = 'ghs_writeToken123';
const READONLY = 'ghs_forkToken456';
const HEAD = 'a'.repeat(40);
const OLD = 'b'.repeat(40);

let gh: FakeGitHub;
let api: GitHub;
let work: string;
let bare: string;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } }).trim();
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mg-gh-'));
  bare = join(work, 'remote.git');
  git(work, 'init', '-q', '--bare', '-b', 'main', bare);
  const clone = join(work, 'clone');
  git(work, 'init', '-q', '-b', 'main', clone);
  writeFileSync(join(clone, 'a.txt'), 'one\n');
  git(clone, 'add', 'a.txt');
  git(clone, 'commit', '-q', '-m', 'init');
  git(clone, 'push', '-q', bare, 'main');
  gh = await startFakeGitHub({ ...repo, tokens: [TOKEN], readOnlyTokens: [READONLY], bareRepo: bare, maxPerPage: 2 });
  api = await createGitHub({ token: TOKEN, baseUrl: gh.url, backoffMs: 1 });
});

afterAll(async () => {
  await gh.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('approvals', () => {
  it('counts each reviewer’s latest verdict on the head commit, never the author, across pages', async () => {
    gh.addReview(7, 'bob', 'APPROVED', OLD); // stale: an older push
    gh.addReview(7, 'carol', 'APPROVED', HEAD);
    gh.addReview(7, 'dave', 'APPROVED', HEAD);
    gh.addReview(7, 'dave', 'CHANGES_REQUESTED', HEAD); // dave changed his mind
    gh.addReview(7, 'carol', 'COMMENTED', HEAD); // a comment does not undo carol's approval
    gh.addReview(7, 'alice', 'APPROVED', HEAD); // the author
    const { approvers } = await prApprovals(api, repo, { number: 7, headSha: HEAD, author: 'Alice' });
    expect(approvers).toEqual([{ login: 'carol', commit: HEAD }]);
    // 6 reviews at 2 per page: the adapter followed the Link headers.
    expect(gh.requests.filter((r) => r.path.endsWith('/pulls/7/reviews')).length).toBe(3);
  });

  it('a re-approval after a new push counts again', () => {
    const reviews = [
      { id: 1, user: { login: 'bob' }, state: 'APPROVED', commit_id: OLD, author_association: 'MEMBER' },
      { id: 2, user: { login: 'bob' }, state: 'APPROVED', commit_id: HEAD, author_association: 'MEMBER' },
    ];
    expect(latestApprovals(reviews, HEAD, 'alice').approvers).toEqual([{ login: 'bob', commit: HEAD }]);
  });

  it('counts only reviewers with write access (OWNER, MEMBER, COLLABORATOR); the others are named, never counted', async () => {
    const all = ['OWNER', 'MEMBER', 'COLLABORATOR', 'CONTRIBUTOR', 'FIRST_TIMER', 'FIRST_TIME_CONTRIBUTOR', 'MANNEQUIN', 'NONE'] as const;
    all.forEach((a, i) => gh.addReview(8, `r${i}-${a.toLowerCase()}`, 'APPROVED', HEAD, a));
    const got = await prApprovals(api, repo, { number: 8, headSha: HEAD, author: 'alice' });
    expect(got.approvers.map((a) => a.login)).toEqual(['r0-owner', 'r1-member', 'r2-collaborator']);
    expect(got.withoutWriteAccess).toEqual([
      { login: 'r3-contributor', association: 'CONTRIBUTOR' },
      { login: 'r4-first_timer', association: 'FIRST_TIMER' },
      { login: 'r5-first_time_contributor', association: 'FIRST_TIME_CONTRIBUTOR' },
      { login: 'r6-mannequin', association: 'MANNEQUIN' },
      { login: 'r7-none', association: 'NONE' },
    ]);
  });

  it('a review without author_association counts as no write access (fail closed)', () => {
    const reviews = [{ id: 1, user: { login: 'bob' }, state: 'APPROVED', commit_id: HEAD }];
    expect(latestApprovals(reviews, HEAD, 'alice')).toEqual({ approvers: [], withoutWriteAccess: [{ login: 'bob', association: 'NONE' }] });
  });

  it('an outsider’s approval is not reported once they withdraw it, nor when it is of an older push', () => {
    const reviews = [
      { id: 1, user: { login: 'eve' }, state: 'APPROVED', commit_id: HEAD, author_association: 'CONTRIBUTOR' },
      { id: 2, user: { login: 'eve' }, state: 'DISMISSED', commit_id: HEAD, author_association: 'CONTRIBUTOR' },
      { id: 3, user: { login: 'mal' }, state: 'APPROVED', commit_id: OLD, author_association: 'NONE' },
    ];
    expect(latestApprovals(reviews, HEAD, 'alice')).toEqual({ approvers: [], withoutWriteAccess: [] });
  });

  it('resolves @org/team through the teams API', async () => {
    gh.teams.set('acme/ml-leads', ['erin', 'frank', 'grace']);
    expect(await teamMembers(api, '@acme/ml-leads')).toEqual(['erin', 'frank', 'grace']);
  });
});

describe('sticky comment', () => {
  it('creates one comment, then updates the same one, ignoring look-alikes by other users', async () => {
    gh.addComment(9, 'mallory', `${COMMENT_MARKER}\nI pasted the marker to hijack the report`);
    for (let i = 0; i < 3; i++) gh.addComment(9, 'someone', `unrelated ${i}`);
    const first = await upsertComment(api, repo, 9, 'report v1');
    const second = await upsertComment(api, repo, 9, 'report v2');
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    const mine = gh.comments.get(9)!.filter((c) => c.user.login === 'github-actions[bot]');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.body).toBe(`${COMMENT_MARKER}\nreport v2`);
    expect(gh.comments.get(9)!.find((c) => c.user.login === 'mallory')!.body).toContain('hijack');
  });

  it('a read-only token gets a 403 the caller can recognise', async () => {
    const ro = await createGitHub({ token: READONLY, baseUrl: gh.url, backoffMs: 1 });
    await expect(upsertComment(ro, repo, 10, 'x')).rejects.toMatchObject({ status: 403 });
  });
});

describe('retries and failures', () => {
  it('retries a 502 and succeeds', async () => {
    gh.inject({ match: /^GET .*\/pulls\/11\/reviews/, status: 502, times: 2 });
    expect((await prApprovals(api, repo, { number: 11, headSha: HEAD, author: 'x' })).approvers).toEqual([]);
  });

  it('gives up after bounded attempts with an EnvironmentError that never shows the token', async () => {
    gh.inject({ match: /^GET .*\/pulls\/12\/reviews/, status: 503, times: 10 });
    const err = await prApprovals(api, repo, { number: 12, headSha: HEAD, author: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect(String((err as Error).message)).not.toContain(TOKEN);
  });

  it('an API that never answers: each attempt times out, then an outage (EnvironmentError), in seconds', async () => {
    const slow = await createGitHub({ token: TOKEN, baseUrl: gh.url, backoffMs: 1, timeoutMs: 300 });
    gh.inject({ match: /^GET .*\/pulls\/14\/reviews/, status: 0, hang: true, times: 4 });
    const started = Date.now();
    const err = await prApprovals(slow, repo, { number: 14, headSha: HEAD, author: 'x' }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err).toBeInstanceOf(GitHubApiError);
    expect((err as GitHubApiError).outage).toBe(true);
    expect((err as Error).message).toMatch(/failed after 4 attempts: no answer within 0.3 s/);
    expect(gh.requests.filter((r) => r.path.endsWith('/pulls/14/reviews'))).toHaveLength(4);
  });

  it('a stall that ends within the budget is retried and succeeds', async () => {
    const slow = await createGitHub({ token: TOKEN, baseUrl: gh.url, backoffMs: 1, timeoutMs: 300 });
    gh.inject({ match: /^GET .*\/pulls\/15\/reviews/, status: 0, hang: true, times: 1 });
    gh.addReview(15, 'bob', 'APPROVED', HEAD);
    expect((await prApprovals(slow, repo, { number: 15, headSha: HEAD, author: 'x' })).approvers).toEqual([{ login: 'bob', commit: HEAD }]);
  });

  it('a rate limit (429 with retry-after) is retried', async () => {
    gh.inject({ match: /^GET .*\/pulls\/13\/reviews/, status: 429, times: 1, headers: { 'retry-after': '0' } });
    expect((await prApprovals(api, repo, { number: 13, headSha: HEAD, author: 'x' })).approvers).toEqual([]);
  });
});

describe('createCommitOnBranch', () => {
  it('commits on the expected head and refuses a stale one', async () => {
    const head = git(bare, 'rev-parse', 'main');
    const oid = await createCommitOnBranch(api, {
      repository: 'acme/models',
      branch: 'main',
      expectedHeadOid: head,
      headline: 'modelgate: promote m v2 Staging -> Production',
      body: 'Modelgate-Model: m',
      files: [{ path: 'registry/m.yaml', contents: Buffer.from('name: m\n') }],
    });
    expect(git(bare, 'rev-parse', 'main')).toBe(oid);
    expect(git(bare, 'show', `${oid}:registry/m.yaml`)).toBe('name: m');
    expect(git(bare, 'log', '-1', '--format=%(trailers:key=Modelgate-Model,valueonly)', oid)).toBe('m');
    await expect(
      createCommitOnBranch(api, { repository: 'acme/models', branch: 'main', expectedHeadOid: head, headline: 'x', body: '', files: [] }),
    ).rejects.toBeInstanceOf(HeadMovedError);
  });
});
