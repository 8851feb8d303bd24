import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors';
import { commitFiles } from '../../src/git/commit';
import { makeRepo, type TestRepo } from '../helpers/git';

const repos: TestRepo[] = [];
afterEach(async () => {
  await Promise.all(repos.splice(0).map((r) => r.cleanup()));
});

async function repoWith(files: Record<string, string> | undefined, opts?: { identity?: boolean }): Promise<TestRepo> {
  const r = await makeRepo(files, opts);
  repos.push(r);
  return r;
}

const MESSAGE = [
  'modelgate: promote churn-predictor v3 Staging -> Production',
  '',
  '#42: beats the champion on val_auc; "quotes", $(not a shell) and `backticks`',
  '',
  'Modelgate-Model: churn-predictor',
  'Modelgate-Version: 3',
  'Modelgate-Transition: Staging -> Production',
  'Modelgate-Audit: sha256:' + 'a'.repeat(64),
].join('\n');

describe('commitFiles', () => {
  it('commits only the named files; the user\'s staged and dirty files stay as they were', async () => {
    const r = await repoWith({ 'registry/churn.yaml': 'v1\n', 'notes.txt': 'draft 1\n', 'other.txt': 'x\n' });
    await r.write('registry/churn.yaml', 'v2\n');
    await r.write('audit/churn.jsonl', '{"seq":1}\n'); // new file
    await r.write('notes.txt', 'draft 2 (dirty)\n');
    await r.write('other.txt', 'staged\n');
    await r.git(['add', 'other.txt']);

    const sha = await commitFiles(r.dir, { files: ['registry/churn.yaml', 'audit/churn.jsonl'], message: MESSAGE });

    expect((await r.git(['rev-parse', 'HEAD'])).trim()).toBe(sha);
    expect((await r.git(['show', '--name-only', '--format=', sha])).trim().split('\n').sort()).toEqual(['audit/churn.jsonl', 'registry/churn.yaml']);
    const status = await r.git(['status', '--porcelain']);
    expect(status).toContain(' M notes.txt'); // still dirty, not staged
    expect(status).toContain('M  other.txt'); // still staged, not committed
    expect(await r.git(['show', 'HEAD:registry/churn.yaml'])).toBe('v2\n');
  });

  it('keeps the message with its trailers verbatim (read from stdin, not argv)', async () => {
    const r = await repoWith({ 'a.txt': '1\n' });
    await r.write('a.txt', '2\n');
    await commitFiles(r.dir, { files: ['a.txt'], message: MESSAGE });
    expect((await r.git(['log', '-1', '--format=%B'])).trim()).toBe(MESSAGE);
    const trailers = await r.git(['log', '-1', '--format=%(trailers:key=Modelgate-Version,valueonly)']);
    expect(trailers.trim()).toBe('3');
  });

  it('treats pathspec characters in names literally', async () => {
    const r = await repoWith({ 'a.yaml': '1\n', 'b.yaml': '1\n' });
    await r.write('a.yaml', '2\n');
    await r.write('b.yaml', '2\n');
    await r.write('*.yaml', 'star\n');
    await commitFiles(r.dir, { files: ['*.yaml'], message: 'star' });
    expect((await r.git(['show', '--name-only', '--format=', 'HEAD'])).trim()).toBe('*.yaml');
  });

  it('refuses to make an empty commit', async () => {
    const r = await repoWith({ 'a.txt': '1\n' });
    await expect(commitFiles(r.dir, { files: ['a.txt'], message: 'nothing' })).rejects.toBeInstanceOf(InputError);
  });

  describe('without a configured identity', () => {
    let home: string;
    const KEYS = ['HOME', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_NOSYSTEM', 'GITHUB_ACTIONS', 'EMAIL', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_EMAIL', 'GIT_AUTHOR_NAME', 'GIT_COMMITTER_NAME'];
    const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
    afterEach(async () => {
      for (const k of KEYS) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
      await rm(home, { recursive: true, force: true });
    });

    async function bareIdentityRepo(env: Record<string, string | undefined>): Promise<TestRepo> {
      home = await mkdtemp(join(tmpdir(), 'mg-home-'));
      Object.assign(process.env, { HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: join(home, '.gitconfig') });
      for (const [k, v] of Object.entries(env)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      for (const k of ['EMAIL', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_EMAIL', 'GIT_AUTHOR_NAME', 'GIT_COMMITTER_NAME']) delete process.env[k];
      const r = await repoWith(undefined, { identity: false });
      await r.write('a.txt', '1\n');
      return r;
    }

    it('commits as modelgate <modelgate@localhost> locally, without writing any config', async () => {
      const r = await bareIdentityRepo({ GITHUB_ACTIONS: undefined });
      await commitFiles(r.dir, { files: ['a.txt'], message: 'first' });
      expect((await r.git(['log', '-1', '--format=%an <%ae>|%cn <%ce>'])).trim()).toBe('modelgate <modelgate@localhost>|modelgate <modelgate@localhost>');
      expect(await r.git(['config', '--get', 'user.email']).catch(() => 'unset')).toBe('unset');
    });

    it('commits as github-actions[bot] under GitHub Actions', async () => {
      const r = await bareIdentityRepo({ GITHUB_ACTIONS: 'true' });
      await commitFiles(r.dir, { files: ['a.txt'], message: 'first' });
      expect((await r.git(['log', '-1', '--format=%an <%ae>'])).trim()).toBe('github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>');
    });
  });
});
