/**
 * The symlinks of a commit's tree, with their targets. A tree can hold millions of entries: the
 * listing is streamed and only symlink entries (mode 120000) are kept, so memory follows the
 * number of links, not the size of the repository.
 */
import { spawn } from 'node:child_process';
import { EnvironmentError } from '../errors';
import { gitEnv } from './exec';

export interface TreeLink {
  /** Repo-relative path of the link. */
  path: string;
  /** The link's text (its target, as written). */
  target: string;
}

export async function symlinksOf(root: string, commit: string): Promise<TreeLink[]> {
  const links = await streamLinks(root, commit);
  if (links.length === 0) return [];
  const targets = await blobs(root, links.map((l) => l.oid));
  return links.flatMap((l) => {
    const target = targets.get(l.oid);
    return target === undefined ? [] : [{ path: l.path, target }];
  });
}

function run(root: string, args: string[], input: string | undefined, onData: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: root, env: gitEnv({ cwd: root }), stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const err: Buffer[] = [];
    // Both are pipes (stdio above), so never null.
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new EnvironmentError(`could not run git ${args[0]}: ${e.message}`, { cause: e })));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new EnvironmentError(`git ${args[0]} failed (exit ${code}): ${Buffer.concat(err).toString('utf8').trim()}`, { hint: 'run modelgate inside a healthy git checkout' }));
    });
    if (child.stdin) {
      child.stdin.on('error', () => undefined); // git ended early: its exit code says why
      child.stdin.end(input);
    }
  });
}

async function streamLinks(root: string, commit: string): Promise<{ path: string; oid: string }[]> {
  const out: { path: string; oid: string }[] = [];
  let rest = Buffer.alloc(0);
  const take = (entry: Buffer) => {
    // `<mode> SP <type> SP <oid> TAB <path>`; only links are decoded.
    if (entry.length < 7 || entry.toString('latin1', 0, 7) !== '120000 ') return;
    const tab = entry.indexOf(9);
    const meta = entry.toString('latin1', 0, tab).split(' ');
    out.push({ oid: meta[2]!, path: entry.toString('utf8', tab + 1) });
  };
  await run(root, ['ls-tree', '-r', '-z', '--full-tree', '--end-of-options', commit], undefined, (chunk) => {
    let buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    for (let nul = buf.indexOf(0); nul !== -1; nul = buf.indexOf(0)) {
      take(buf.subarray(0, nul));
      buf = buf.subarray(nul + 1);
    }
    rest = Buffer.from(buf);
  });
  return out;
}

/** Contents of blobs by object id, through one `git cat-file --batch` (links are small). */
async function blobs(root: string, oids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(oids)];
  const parts: Buffer[] = [];
  await run(root, ['cat-file', '--batch'], unique.join('\n') + '\n', (chunk) => parts.push(chunk));
  const all = Buffer.concat(parts);
  const out = new Map<string, string>();
  let at = 0;
  for (const oid of unique) {
    const nl = all.indexOf(10, at);
    if (nl === -1) break;
    const header = all.toString('latin1', at, nl).split(' ');
    if (header[1] === 'missing') {
      at = nl + 1;
      continue;
    }
    const size = Number(header[2]);
    if (header[0] !== oid || !Number.isSafeInteger(size)) break;
    out.set(oid, all.toString('utf8', nl + 1, nl + 1 + size));
    at = nl + 1 + size + 1;
  }
  return out;
}
