// validate_all's floor: read the config, every policy and every manifest of a repository and
// parse each with the `yaml` package alone (no positions, no schema, no invariants).
//   node floorValidate.mjs <repo>    prints {files, ms}
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';

const repo = process.argv[2];
const started = performance.now();
const files = ['modelgate.yaml'];
for (const dir of ['policies', 'registry']) {
  for (const name of readdirSync(join(repo, dir)).sort()) if (/\.ya?ml$/.test(name)) files.push(join(dir, name));
}
let keys = 0;
for (const f of files) keys += Object.keys(YAML.parse(readFileSync(join(repo, f), 'utf8')) ?? {}).length;
process.stdout.write(JSON.stringify({ files: files.length, keys, ms: performance.now() - started }) + '\n');
