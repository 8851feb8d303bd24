/**
 * SPEC section 1: manifests, audit logs, policy files, modelgate.yaml and the registry, audit
 * and policies directories are plain files and directories, in the working tree and in a
 * commit. A symlink there (even one that stays inside the repository) hides later edits of its
 * target from `git diff -- registry` and from history walks; a submodule entry reads as a
 * missing file. Each is exit 2 naming the path, in every command, through the CLI bundle on
 * real git repositories (gitlinks made with `git update-index --cacheinfo 160000,...`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { modelgate } from '../helpers/cli';
import { gitIn, type TestRepo } from '../helpers/git';
import { makeRegistry, MANIFEST } from '../helpers/registry';

interface Kind {
  name: string;
  path: string;
}

/** Every listed kind of file and directory (the audit log and its directory are created first). */
const KINDS: Kind[] = [
  { name: 'a manifest', path: 'registry/churn-predictor.yaml' },
  { name: 'an audit log', path: 'audit/churn-predictor.jsonl' },
  { name: 'a policy file', path: 'policies/churn.yaml' },
  { name: 'modelgate.yaml', path: 'modelgate.yaml' },
  { name: 'the registry directory', path: 'registry' },
  { name: 'the policies directory', path: 'policies' },
  { name: 'the audit directory', path: 'audit' },
];

/** v3 Staging → Production, the change every command would judge. */
const PROMOTE_3 = MANIFEST.replace('stage: Production     # current champion', 'stage: Archived').replace('stage: Staging', 'stage: Production');

const repos: TestRepo[] = [];
afterEach(async () => {
  await Promise.all(repos.splice(0).map((r) => r.cleanup()));
});

/** A registry with an audit log (promote v3 to Production, committed), then the start commit. */
async function registry(): Promise<{ repo: TestRepo; start: string }> {
  const repo = await makeRegistry();
  repos.push(repo);
  const r = await modelgate(repo.dir, ['promote', 'churn-predictor', '3', '--to', 'Production', '--reason', 'r', '--actor', 'alice', '--commit']);
  expect(r.code, r.stderr).toBe(0);
  return { repo, start: (await repo.git(['rev-parse', 'HEAD'])).trim() };
}

/** Moves the file or directory at `path` to `store/…` and leaves a relative symlink to it (inside the repository). */
async function makeSymlink(repo: TestRepo, path: string): Promise<void> {
  const real = join(repo.dir, 'store', path);
  await mkdir(dirname(real), { recursive: true });
  await rename(join(repo.dir, path), real);
  await symlink(relative(dirname(join(repo.dir, path)), real), join(repo.dir, path));
}

/** The working-tree form of a submodule: a nested repository in place of the file or directory. */
async function makeNestedRepo(repo: TestRepo, path: string): Promise<void> {
  await rm(join(repo.dir, path), { recursive: true, force: true });
  await mkdir(join(repo.dir, path), { recursive: true });
  await gitIn(join(repo.dir, path), ['init', '-q']);
  await writeFile(join(repo.dir, path, 'README'), 'a nested repository\n');
}

/** A committed gitlink (mode 160000) in place of the file or directory. */
async function commitGitlink(repo: TestRepo, path: string, sha: string): Promise<void> {
  await repo.git(['rm', '-r', '-q', '--cached', '--', path]);
  await repo.git(['update-index', '--add', '--cacheinfo', `160000,${sha},${path}`]);
  await repo.git(['commit', '-q', '-m', `${path} becomes a submodule`]);
}

const pathMessage = (path: string, what: 'symlink' | 'submodule', where: RegExp) =>
  new RegExp(`${path.replace(/[.]/g, '\\.')} is a ${what}${where.source}`);

const WORKTREE_COMMANDS: string[][] = [
  ['validate'],
  ['status'],
  ['check'],
  ['promote', 'churn-predictor', '2', '--to', 'Production', '--reason', 'r', '--actor', 'alice', '--dry-run'],
  ['audit', 'verify'],
];

describe.each(KINDS)('$name ($path)', ({ path }) => {
  it('as a symlink inside the repository, in the working tree: every command exits 2 naming it', async () => {
    const { repo } = await registry();
    await repo.write('registry/churn-predictor.yaml', PROMOTE_3); // something for check to judge
    await makeSymlink(repo, path);
    for (const args of WORKTREE_COMMANDS) {
      const r = await modelgate(repo.dir, args);
      expect(r.code, `${args[0]}: ${r.stderr}${r.stdout}`).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(pathMessage(path, 'symlink', / in the working tree/));
    }
  });

  it('as a submodule (a nested repository) in the working tree: exit 2 naming it', async () => {
    const { repo } = await registry();
    await makeNestedRepo(repo, path);
    for (const args of [['validate'], ['status'], ['audit', 'verify']]) {
      const r = await modelgate(repo.dir, args);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(pathMessage(path, 'submodule', / in the working tree/));
    }
  });

  it('as a committed symlink: check --head HEAD, and record of it, exit 2 naming it', async () => {
    const { repo, start } = await registry();
    await makeSymlink(repo, path);
    await repo.commitAll(`${path} becomes a symlink`);
    const r = await modelgate(repo.dir, ['check', '--base', start, '--head', 'HEAD', '--format', 'json']);
    expect(r.code, r.stderr + r.stdout).toBe(2);
    expect(r.stderr).toMatch(pathMessage(path, 'symlink', / at commit [0-9a-f]{12}/));
    const rec = await modelgate(repo.dir, ['record', '--dry-run', '--since', start, '--actor', 'alice']);
    expect(rec.code, rec.stderr).toBe(2);
    expect(rec.stderr).toMatch(pathMessage(path, 'symlink', / /));
  });

  it('as a committed gitlink (160000): check --head HEAD exits 2 naming it', async () => {
    const { repo, start } = await registry();
    await commitGitlink(repo, path, start);
    const r = await modelgate(repo.dir, ['check', '--base', start, '--head', 'HEAD', '--format', 'json']);
    expect(r.code, r.stderr + r.stdout).toBe(2);
    expect(r.stderr).toMatch(pathMessage(path, 'submodule', / at commit [0-9a-f]{12}/));
  });
});

describe('the symlink a PR hides an edit behind', () => {
  it('a manifest linked to a file elsewhere in the repository: the link itself is refused, so the target cannot be edited unseen later', async () => {
    const { repo, start } = await registry();
    await makeSymlink(repo, 'registry/churn-predictor.yaml');
    await repo.commitAll('move the manifest behind a link');
    const r = await modelgate(repo.dir, ['check', '--base', start, '--head', 'HEAD']);
    expect(r.code).toBe(2);
    // Once such a link is in the base, every command says so until it is replaced.
    const later = await modelgate(repo.dir, ['check', '--base', 'HEAD', '--head', 'HEAD']);
    expect(later.code).toBe(2);
    expect(later.stderr).toMatch(/registry\/churn-predictor\.yaml is a symlink at commit/);
  });

  it('a plain registry (guard test): every command still works', async () => {
    const { repo } = await registry();
    for (const args of WORKTREE_COMMANDS) {
      const r = await modelgate(repo.dir, args);
      expect([0, 1], `${args[0]}: ${r.stderr}`).toContain(r.code);
    }
  });

  it('run files may still go through a symlink that stays inside the repository', async () => {
    const { repo } = await registry();
    await makeSymlink(repo, 'runs/v1.json');
    const r = await modelgate(repo.dir, ['validate']);
    expect(r.code, r.stderr).toBe(0);
  });
});
