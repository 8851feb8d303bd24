// Preloaded into the CLI (`node --import`) when counting what a command does: logs every
// process it spawns and every object it asks a long-lived `git cat-file --batch[-check]` for.
// Those reads never show as file opens (git reads its pack), so strace alone would miss them.
// Appended to $MODELGATE_BENCH_TRACE as JSON lines as they happen (a run stopped by a timeout
// still leaves its trace).
//
// The product asks for a file either by path (`<commit>:<path>`) or by the blob id it found in
// its directory's tree (walked from `<commit>^{tree}`). To log a path for the second kind, this
// hook also reads git's answers: each tree answer names the entries below it, so a later
// request for one of their ids is logged with that entry's path, and tree reads as `tree`.
import cp from 'node:child_process';
import { openSync, writeSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const fd = process.env.MODELGATE_BENCH_TRACE ? openSync(process.env.MODELGATE_BENCH_TRACE, 'a') : undefined;
const log = (event) => {
  if (fd !== undefined) writeSync(fd, JSON.stringify(event) + '\n');
};
const original = cp.spawn;

cp.spawn = function spawn(command, args, options) {
  const child = original.apply(this, arguments);
  const argv = Array.isArray(args) ? args.map(String) : [];
  log({ type: 'spawn', command: String(command), args: argv });
  const mode = argv.find((a) => a === '--batch' || a === '--batch-check');
  if (command === 'git' && argv.includes('cat-file') && mode && child.stdin) {
    const paths = mode === '--batch' ? watchTrees(child) : undefined;
    const write = child.stdin.write.bind(child.stdin);
    child.stdin.write = (chunk, ...rest) => {
      for (const line of String(chunk).split('\n')) if (line) log(paths ? paths.request(line) : checkRequest(line));
      return write(chunk, ...rest);
    };
  }
  return child;
};
// ESM importers of node:child_process see the patched function too.
syncBuiltinESMExports();

const OID = /^[0-9a-f]{40,64}$/;
/** id -> { paths: string[], next: number, tree: boolean }, learnt from every tree answer. */
const knownIds = new Map();

/** A `--batch-check` request: an id a tree listed is logged with that entry's path. */
function checkRequest(line) {
  const entry = OID.test(line) ? knownIds.get(line) : undefined;
  return { type: 'batch-check', spec: entry ? entry.paths[0] : line };
}

/** Follows the answers of one `git cat-file --batch`, learning the path of every id a tree lists. */
function watchTrees(child) {
  const known = knownIds; // shared: a size asked by id (--batch-check) is named by the tree that listed it
  const pending = []; // per request in flight: the directory path when a tree answer is expected
  let header = Buffer.alloc(0);
  let body; // { remaining, parts, dir }

  const join = (dir, name) => (dir === '' ? name : `${dir}/${name}`);
  const learn = (dir, tree) => {
    let i = 0;
    while (i < tree.length) {
      const sp = tree.indexOf(0x20, i);
      const nul = tree.indexOf(0x00, sp + 1);
      const mode = tree.toString('latin1', i, sp);
      const name = tree.toString('utf8', sp + 1, nul);
      const width = body.oidWidth;
      const id = tree.toString('hex', nul + 1, nul + 1 + width);
      const entry = known.get(id) ?? { paths: [], next: 0, tree: false };
      entry.paths.push(join(dir, name));
      entry.tree ||= mode === '40000';
      known.set(id, entry);
      i = nul + 1 + width;
    }
  };

  child.stdout?.on('data', (chunk) => {
    let buf = chunk;
    while (buf.length > 0) {
      if (body) {
        const take = Math.min(body.remaining, buf.length);
        body.parts.push(buf.subarray(0, take));
        body.remaining -= take;
        buf = buf.subarray(take);
        if (body.remaining === 0) {
          if (body.dir !== undefined) learn(body.dir, Buffer.concat(body.parts).subarray(0, -1));
          body = undefined;
        }
        continue;
      }
      const nl = buf.indexOf(0x0a);
      if (nl === -1) {
        header = Buffer.concat([header, buf]);
        return;
      }
      const line = Buffer.concat([header, buf.subarray(0, nl)]).toString('utf8');
      header = Buffer.alloc(0);
      buf = buf.subarray(nl + 1);
      const request = pending.shift();
      const parts = line.split(' ');
      if (parts.at(-1) === 'missing' || parts.at(-1) === 'ambiguous') continue;
      const size = Number(parts.at(-1));
      const isTree = parts.length === 3 && parts[1] === 'tree';
      body = { remaining: size + 1, parts: [], dir: isTree ? request?.dir : undefined, oidWidth: parts[0].length / 2 };
    }
  });

  return {
    /** The log event for one request line, remembering what its answer will describe. */
    request(line) {
      const root = /^([0-9a-f]{40,64})\^\{tree\}$/.exec(line);
      if (root) {
        pending.push({ dir: '' });
        return { type: 'tree', spec: '.' };
      }
      if (OID.test(line)) {
        const entry = known.get(line);
        const path = entry ? entry.paths[Math.min(entry.next++, entry.paths.length - 1)] : line;
        pending.push({ dir: entry?.tree ? path : undefined });
        return { type: entry?.tree ? 'tree' : 'batch', spec: path };
      }
      const colon = line.indexOf(':');
      pending.push({ dir: colon === -1 ? undefined : line.slice(colon + 1) });
      return { type: 'batch', spec: line };
    },
  };
}
