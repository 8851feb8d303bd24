// git_reads, in one process: the manifests of every model at a ref, read three ways in
// interleaved rounds after a warm-up:
//   sequential  GitState.readText one manifest after another (how commands loop over models)
//   concurrent  GitState.readText for all at once (the pipelined batch reader's best case)
//   floor       one `git cat-file --batch` given every `<ref>:<path>` at once
//   node gitReads.mjs <bundle.mjs> <repo> <ref> <models> <rounds>
// Prints {sequential: [ms...], concurrent: [...], floor: [...], bytes, processes: {mode: n}}.
import cp from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import { pathToFileURL } from 'node:url';
import { modelName } from '../lib/synthetic.mjs';

const [bundle, repo, ref, models, rounds] = process.argv.slice(2);
const paths = Array.from({ length: Number(models) }, (_, i) => `registry/${modelName(i)}.yaml`);

// Count the processes each mode starts ("no process per file").
let spawned = 0;
const original = cp.spawn;
cp.spawn = function spawn(...args) {
  spawned++;
  return original.apply(this, args);
};
syncBuiltinESMExports();
const { GitState } = await import(pathToFileURL(bundle).href);

async function sequential() {
  const state = await GitState.open(repo, ref);
  let bytes = 0;
  for (const p of paths) bytes += Buffer.byteLength(await state.readText(p));
  state.close();
  return bytes;
}

async function concurrent() {
  const state = await GitState.open(repo, ref);
  const texts = await Promise.all(paths.map((p) => state.readText(p)));
  state.close();
  return texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
}

/** The least any reader can do: one process, every request written at once, replies split by size. */
function floor() {
  return new Promise((resolve, reject) => {
    const child = original('git', ['cat-file', '--batch'], { cwd: repo, stdio: ['pipe', 'pipe', 'inherit'] });
    spawned++;
    const chunks = [];
    child.stdout.on('data', (b) => chunks.push(b));
    child.on('error', reject);
    child.on('close', () => {
      const out = Buffer.concat(chunks);
      let at = 0;
      let bytes = 0;
      for (let i = 0; i < paths.length; i++) {
        const nl = out.indexOf(10, at);
        const size = Number(out.toString('latin1', at, nl).split(' ')[2]);
        bytes += size;
        at = nl + 1 + size + 1;
      }
      resolve(bytes);
    });
    child.stdin.end(paths.map((p) => `${ref}:${p}\n`).join(''));
  });
}

const modes = { sequential, concurrent, floor };
const out = { sequential: [], concurrent: [], floor: [], bytes: {}, processes: {} };
for (const [name, fn] of Object.entries(modes)) out.bytes[name] = await fn(); // warm-up
for (let r = 0; r < Number(rounds); r++) {
  for (const [name, fn] of Object.entries(modes)) {
    const before = spawned;
    const t = performance.now();
    await fn();
    out[name].push(performance.now() - t);
    out.processes[name] = spawned - before;
  }
}
process.stdout.write(JSON.stringify(out) + '\n');
