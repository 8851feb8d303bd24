/**
 * `validate` reads every manifest: loading (schema, invariants, line maps) must cost at most
 * 1.5× a bare YAML.parse of the same text. Measured as the best CPU time of several interleaved
 * rounds, so a busy machine slows both sides alike.
 */
import { expect, it } from 'vitest';
import YAML from 'yaml';
import { loadManifest } from '../../src/manifest/load';
import { DIGEST } from './helpers';

function manifest(n: number, versions: number): string {
  const lines = ['apiVersion: modelgate/v1', 'kind: Model', `name: model-${n}`, 'owner: "@acme/ml"', 'versions:'];
  for (let v = 1; v <= versions; v++) {
    lines.push(
      `  - version: ${v}   # trained ${v}`,
      `    run: mlruns/${n}/${v.toString(16).padStart(32, '0')}`,
      v % 2 ? `    artifact: s3://ml-models/model-${n}/${v}/` : `    artifact: models/model-${n}/${v}`,
      `    digest: ${DIGEST}`,
      `    stage: ${v === versions ? 'Production' : 'Archived'}`,
    );
  }
  lines.push('aliases:', `  champion: ${versions}`);
  return lines.join('\n') + '\n';
}

function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

it('loading 100-version manifests costs at most 1.5x YAML.parse', () => {
  const texts = Array.from({ length: 20 }, (_, i) => manifest(i, 100));
  const files = texts.map((_, i) => `registry/model-${i}.yaml`);
  const parse = () => texts.forEach((t) => YAML.parse(t));
  const load = () => texts.forEach((t, i) => loadManifest(t, files[i]!));
  load(); // warm up (schema compilation, JIT)
  parse();
  let bestParse = Infinity;
  let bestLoad = Infinity;
  for (let round = 0; round < 10; round++) {
    bestParse = Math.min(bestParse, cpuMs(parse));
    bestLoad = Math.min(bestLoad, cpuMs(load));
  }
  expect(bestLoad / bestParse).toBeLessThanOrEqual(1.5);
});
