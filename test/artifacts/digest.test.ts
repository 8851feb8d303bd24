/** The digest rule (SPEC §6) on local artifacts, cross-checked against the real sha256sum. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { InputError } from '../../src/errors';
import { digestArtifact, directoryDigest, sha256sumListing } from '../../src/artifacts/digest';
import { checkArtifact } from '../../src/artifacts/verify';
import { WorktreeState } from '../../src/repo/worktree';

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

let root: string;
let repo: WorktreeState;

const FILES: Record<string, string> = {
  'models/churn/MLmodel': 'flavors:\n  sklearn: {}\n',
  'models/churn/model.pkl': '\x80\x04binary-ish weights',
  'models/churn/data/feature names.txt': 'a\nb\n',
  'models/churn/data/nested/deep/x.bin': 'x',
  'models/churn/B.txt': 'upper case sorts first in byte order',
  'models/churn/.git/HEAD': 'never part of an artifact',
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'modelgate-digest-'));
  for (const [path, body] of Object.entries(FILES)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), body, 'latin1');
  }
  repo = new WorktreeState(root);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** What a user would run: `find . -type f ! -path './.git/*' | LC_ALL=C sort | xargs sha256sum`. */
function sha256sumOfDirectory(dir: string): string {
  const run = (cmd: string, args: string[], input?: string) => {
    const r = spawnSync(cmd, args, { cwd: dir, input, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
    return r.stdout;
  };
  const files = run('find', ['.', '-type', 'f', '!', '-path', './.git/*'])
    .split('\n')
    .filter(Boolean)
    .map((p) => p.replace(/^\.\//, ''));
  const sorted = run('sort', [], files.join('\n') + '\n').split('\n').filter(Boolean);
  return run('sha256sum', ['--', ...sorted]);
}

describe('local artifacts', () => {
  it('a single file: sha256 of its bytes', async () => {
    const d = await digestArtifact('models/churn/model.pkl', { repoSource: repo, env: {} });
    expect(d).toEqual({ exists: true, digest: `sha256:${sha256(Buffer.from(FILES['models/churn/model.pkl']!, 'latin1'))}`, files: 1, bytes: 20 });
  });

  it('a directory: sha256 of the sha256sum listing, sorted in byte order, .git excluded', async () => {
    const listing = sha256sumOfDirectory(join(root, 'models/churn'));
    expect(listing.split('\n')[0]).toMatch(/^[0-9a-f]{64} {2}B\.txt$/);
    expect(listing).not.toContain('.git');
    const d = await digestArtifact('models/churn/', { repoSource: repo, env: {} });
    expect(d.digest).toBe(`sha256:${sha256(listing)}`);
    expect(d.files).toBe(5);
  });

  it('reports a missing artifact as not existing, and checkArtifact computes nothing', async () => {
    expect(await digestArtifact('models/gone', { repoSource: repo, env: {} })).toEqual({ exists: false, files: 0, bytes: 0 });
    expect(await checkArtifact('models/gone', 'sha256:' + '0'.repeat(64), { repoSource: repo, env: {} })).toEqual({
      uri: 'models/gone',
      exists: false,
      expected: 'sha256:' + '0'.repeat(64),
    });
  });

  it('checkArtifact tells a match from a mismatch', async () => {
    const { digest } = await digestArtifact('models/churn', { repoSource: repo, env: {} });
    const ok = await checkArtifact('models/churn', digest, { repoSource: repo, env: {} });
    expect(ok).toEqual({ uri: 'models/churn', exists: true, expected: digest, actual: digest });
    writeFileSync(join(root, 'models/churn/data/nested/deep/x.bin'), 'y'); // one byte changed
    const bad = await checkArtifact('models/churn', digest, { repoSource: repo, env: {} });
    expect(bad.exists).toBe(true);
    expect(bad.actual).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(bad.actual).not.toBe(digest);
    writeFileSync(join(root, 'models/churn/data/nested/deep/x.bin'), 'x');
  });

  it('refuses paths that leave the repository', async () => {
    await expect(digestArtifact('../etc/passwd', { repoSource: repo, env: {} })).rejects.toBeInstanceOf(InputError);
    await expect(digestArtifact('/etc/passwd', { repoSource: repo, env: {} })).rejects.toBeInstanceOf(InputError);
  });
});

describe('the directory rule', () => {
  it('sorts by UTF-8 byte order, not UTF-16 order', () => {
    // U+E000 is EE 80 80 in UTF-8, U+1F600 is F0 9F 98 80; in UTF-16 the emoji (D83D…) sorts first.
    const listing = sha256sumListing([
      { path: 'a\u{1F600}', sha256: '1'.repeat(64) },
      { path: 'a\uE000', sha256: '2'.repeat(64) },
    ]);
    expect(listing).toBe(`${'2'.repeat(64)}  a\uE000\n${'1'.repeat(64)}  a\u{1F600}\n`);
  });

  it('is the sha256 of the sha256sum text and does not depend on listing order', () => {
    const entry = fc.record({ path: fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }), sha256: fc.stringMatching(/^[0-9a-f]{64}$/) });
    fc.assert(
      fc.property(fc.uniqueArray(entry, { selector: (e) => e.path, maxLength: 20 }), fc.nat(), (entries, seed) => {
        const byBytes = [...entries].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
        const text = byBytes.map((e) => `${e.sha256}  ${e.path}\n`).join('');
        const shuffled = [...entries].sort(() => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 3) - 1);
        expect(directoryDigest(shuffled)).toBe(`sha256:${sha256(text)}`);
      }),
    );
  });
});
