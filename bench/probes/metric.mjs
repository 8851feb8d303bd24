// metric_history, in one fresh process: the latest value of a long MLflow metric file.
//   node metric.mjs product <bundle.mjs> <root> <run>   readRun() through a WorktreeState
//   node metric.mjs floor   <bundle.mjs> <root> <run>   read the file whole, split its lines
// Prints {ms, value, rssBeforeMb, maxRssMb}. Peak RSS growth = maxRssMb - rssBeforeMb.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [mode, bundle, root, run] = process.argv.slice(2);
const product = mode === 'product' ? await import(pathToFileURL(bundle).href) : undefined;
const rssBeforeMb = process.memoryUsage().rss / 1048576;
const started = performance.now();
let value;
if (product) {
  const record = await product.readRun(new product.WorktreeState(root), run);
  value = await record.metrics.get('val_loss'); // read on demand, as a check asks
} else {
  const lines = readFileSync(join(root, run, 'metrics', 'val_loss'), 'utf8').split('\n');
  let last = lines.length - 1;
  while (last > 0 && lines[last] === '') last--;
  value = Number(lines[last].split(' ')[1]);
}
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms, value, rssBeforeMb, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
