// audit_verify's floor: for every line of every audit log, JSON.parse it and sha256 it, in the
// plainest loop (no chain, no canonical form, no replay, no git).
//   node floorAudit.mjs <repo>    prints {records, ms}
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(process.argv[2], 'audit');
const started = performance.now();
let records = 0;
let check = 0;
for (const name of readdirSync(dir).sort()) {
  for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
    if (line === '') continue;
    const r = JSON.parse(line);
    const h = createHash('sha256').update(line).digest('hex');
    check ^= r.seq ^ h.charCodeAt(0);
    records++;
  }
}
process.stdout.write(JSON.stringify({ records, check, ms: performance.now() - started }) + '\n');
