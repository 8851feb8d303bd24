/**
 * Git discovery locked to the work tree (SPEC section 8): a directory a PR committed that looks
 * like a bare repository (HEAD, objects/, refs/, and a config naming commands: upload-pack,
 * fsmonitor, hooks) is never used as git's repository or config. With `--repo` (CLI) or
 * `repo-path` (Action) pointing at it, or inside it, the command refuses with exit 2 and nothing
 * planted runs (the marker file never appears); pointed at the real checkout, it judges the
 * real work tree, and still nothing planted runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelgate } from '../helpers/cli';
import { makeRegistry, MANIFEST } from '../helpers/registry';
import { gitIn, type TestRepo } from '../helpers/git';
import { git } from '../../src/git/exec';
import { actionsCheckout, makeWorld, pullRequestPayload, pushPayload, pushPullRequest, runAction, type World } from '../action/harness';

let scratch: string;
const marker = () => join(scratch, 'PLANTED-COMMAND-RAN');

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mg-planted-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** The files of a fake repository at `dir` whose config would run `touch <marker>` in four ways. */
function planted(dir: string, origin: string, variant: 'bare' | 'worktree'): Record<string, string> {
  const cmd = `touch ${marker()}`;
  const core = variant === 'bare' ? '\tbare = true\n' : '\tbare = false\n\tworktree = ..\n';
  return {
    [`${dir}/HEAD`]: 'ref: refs/heads/main\n',
    [`${dir}/objects/info/.keep`]: '',
    [`${dir}/refs/heads/.keep`]: '',
    [`${dir}/config`]: `[core]\n${core}\tfsmonitor = ${cmd}; false\n\thooksPath = ${dir}/hooks\n[remote "origin"]\n\turl = ${origin}\n\tuploadpack = ${cmd}; git-upload-pack\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n`,
    [`${dir}/hooks/reference-transaction`]: `#!/bin/sh\n${cmd}\n`,
    [`${dir}/hooks/post-checkout`]: `#!/bin/sh\n${cmd}\n`,
  };
}

async function plant(repo: TestRepo, dir: string, origin: string, variant: 'bare' | 'worktree'): Promise<void> {
  for (const [path, text] of Object.entries(planted(dir, origin, variant))) await repo.write(path, text);
  await chmod(join(repo.dir, dir, 'hooks/reference-transaction'), 0o755);
  await chmod(join(repo.dir, dir, 'hooks/post-checkout'), 0o755);
}

describe('the planted fixture is live, and the locked git never uses it', () => {
  it('plain git in the planted directory runs its upload-pack command; modelgate’s git refuses the directory', async () => {
    const repo = await makeRegistry();
    try {
      await plant(repo, 'planted', repo.dir, 'bare');
      await repo.commitAll('plant');
      const dir = join(repo.dir, 'planted');
      // Control: git as a runner would run it without the lock obeys the planted config.
      await gitIn(dir, ['fetch', '-q', 'origin']).catch(() => undefined);
      expect(existsSync(marker()), 'the fixture should be hostile to an unlocked git').toBe(true);
      await rm(marker());
      const locked = await git(['fetch', '-q', 'origin'], { cwd: dir, allowFail: true, ceiling: '' });
      expect(locked.code).not.toBe(0);
      expect(locked.stderr).toMatch(/cannot use bare repository/);
      expect(existsSync(marker())).toBe(false);
    } finally {
      await repo.cleanup();
    }
  });

  it('every git gets the locked config over the repository’s own, a ceiling above its cwd, and no inherited GIT_DIR', async () => {
    const repo = await makeRegistry();
    const saved = process.env.GIT_DIR;
    try {
      await repo.git(['config', 'core.fsmonitor', 'touch /nonexistent/x']);
      await repo.git(['config', 'remote.origin.uploadpack', 'touch /nonexistent/y']);
      const get = async (key: string) => (await git(['config', '--get', key], { cwd: repo.dir })).stdout.trim();
      expect(await get('safe.bareRepository')).toBe('explicit');
      expect(await get('core.fsmonitor')).toBe('false');
      expect(await get('remote.origin.uploadpack')).toBe('git-upload-pack');
      expect(await get('core.hooksPath')).toBe('/dev/null');
      // Hooks stay on only where the caller asks (commit, push).
      const hooked = await git(['config', '--get', 'core.hooksPath'], { cwd: repo.dir, hooks: true, allowFail: true });
      expect(hooked.stdout.trim()).toBe('');
      process.env.GIT_DIR = join(scratch, 'elsewhere.git');
      expect((await git(['rev-parse', '--absolute-git-dir'], { cwd: repo.dir })).stdout.trim()).toBe(join(repo.dir, '.git'));
      // From a subdirectory the default ceiling (its parent) stops discovery: nothing above cwd is used.
      await repo.write('registry/sub/x.txt', 'x');
      const sub = await git(['rev-parse', '--show-toplevel'], { cwd: join(repo.dir, 'registry/sub'), allowFail: true });
      expect(sub.code).not.toBe(0);
    } finally {
      if (saved === undefined) delete process.env.GIT_DIR;
      else process.env.GIT_DIR = saved;
      await repo.cleanup();
    }
  });
});

describe('CLI: --repo at a planted bare repository', () => {
  for (const variant of ['bare', 'worktree'] as const) {
    it(`refuses with exit 2 (${variant} config), runs nothing planted; the real checkout is judged`, async () => {
      const repo = await makeRegistry();
      try {
        await plant(repo, 'models/planted', repo.dir, variant);
        await repo.commitAll('add a directory that looks like a repository');
        for (const at of ['models/planted', 'models/planted/refs/heads']) {
          const gitCommands = [['check'], ['check', '--head', 'HEAD'], ['record', '--dry-run'], ['audit', 'verify'], ['promote', 'churn-predictor', '3', '--to', 'Production', '--dry-run', '--actor', 'alice']];
          for (const args of gitCommands) {
            const r = await modelgate(join(repo.dir, at), args);
            expect(r.code, `${args.join(' ')} --repo ${at}: ${r.stderr}`).toBe(2);
            expect(r.stderr).toMatch(/bare git repository|not inside a git work tree|not the work tree's own/);
            expect(existsSync(marker()), `${args.join(' ')} ran a planted command`).toBe(false);
          }
          // Commands that read only files (no git) treat --repo as the directory to read.
          for (const args of [['validate'], ['status']]) {
            await modelgate(join(repo.dir, at), args);
            expect(existsSync(marker()), `${args.join(' ')} ran a planted command`).toBe(false);
          }
        }
        // At the top of the real checkout: judged as usual, the planted directory is just files.
        const real = await modelgate(repo.dir, ['check']);
        expect(real.code).toBe(0);
        expect((await modelgate(repo.dir, ['validate'])).code).toBe(0);
        expect(existsSync(marker())).toBe(false);
      } finally {
        await repo.cleanup();
      }
    });
  }
});

describe('Action: repo-path at a planted bare repository', () => {
  let world: World;
  beforeAll(async () => {
    world = await makeWorld();
  });
  afterAll(() => world.cleanup());

  it('pull_request and push with repo-path at (or inside) it: exit 2, decision=error, nothing planted runs; repo-path . judges', async () => {
    const pr = await pushPullRequest(world, 51, async (dev) => {
      await plant(dev, 'planted', world.url, 'bare');
      await dev.write('registry/churn-predictor.yaml', MANIFEST.replace('# the team on call', '# on call: ml'));
    });
    const runner = await actionsCheckout(world, { pr: pr.number, sha: pr.merge });
    try {
      for (const repoPath of ['planted', 'planted/refs', './planted/']) {
        const run = await runAction(world, runner, { event: 'pull_request', payload: pullRequestPayload(pr), inputs: { 'repo-path': repoPath, comment: 'false' } });
        expect(run.code, run.stdout).toBe(2);
        expect(run.outputs.decision).toBe('error');
        expect(run.summary).toMatch(/could not judge/);
        expect(existsSync(marker())).toBe(false);
      }
      const push = await runAction(world, runner, { event: 'push', payload: pushPayload({ before: pr.base, after: pr.merge }), inputs: { 'repo-path': 'planted' } });
      expect(push.code).toBe(2);
      expect(existsSync(marker())).toBe(false);
      // Outside the workspace is refused too.
      const out = await runAction(world, runner, { event: 'pull_request', payload: pullRequestPayload(pr), inputs: { 'repo-path': '..', comment: 'false' } });
      expect(out.code).toBe(2);
      expect(out.stdout).toMatch(/outside the workspace/);
      // The real checkout: judged (the base commit fetched through origin, with the locked config).
      const real = await runAction(world, runner, { event: 'pull_request', payload: pullRequestPayload(pr), inputs: { comment: 'false' } });
      expect(real.code, real.stdout).toBe(0);
      expect(real.outputs.decision).toBe('allow');
      expect(existsSync(marker())).toBe(false);
    } finally {
      await runner.cleanup();
    }
  });
});
