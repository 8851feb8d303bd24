/**
 * SPEC section 7: "records have one shape whichever command writes them". A promotion recorded
 * after a merge (`record`) carries the same fields as the same promotion made directly
 * (`promote --commit`): policy with its digest, artifact, checks with status and level,
 * evidence, displaced, riskTier, intendedUse, source.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelgate } from '../helpers/cli';
import { MANIFEST, makeRegistry } from '../helpers/registry';
import type { TestRepo } from '../helpers/git';

const WITH_USE = MANIFEST.replace('riskTier: high\n', 'riskTier: high\nintendedUse: retention offers\n');
const repos: TestRepo[] = [];
afterAll(async () => {
  await Promise.all(repos.map((r) => r.cleanup()));
});

async function records(repo: TestRepo): Promise<Record<string, unknown>[]> {
  return (await readFile(join(repo.dir, 'audit/churn-predictor.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('one record shape', () => {
  it('record after a merge writes what promote writes (the source aside)', async () => {
    const direct = await makeRegistry({ 'registry/churn-predictor.yaml': WITH_USE });
    const merged = await makeRegistry({ 'registry/churn-predictor.yaml': WITH_USE });
    repos.push(direct, merged);
    const p = await modelgate(direct.dir, ['promote', 'churn-predictor', '3', '--to', 'Production', '--reason', 'r', '--actor', 'alice', '--commit']);
    expect(p.code, p.stderr).toBe(0);

    const start = (await merged.git(['rev-parse', 'HEAD'])).trim();
    const text = await readFile(join(merged.dir, 'registry/churn-predictor.yaml'), 'utf8');
    await merged.write('registry/churn-predictor.yaml', text.replace('stage: Production     # current champion', 'stage: Archived').replace('stage: Staging', 'stage: Production'));
    await merged.commitAll('Promote v3 (#7)');
    const r = await modelgate(merged.dir, ['record', '--since', start, '--actor', 'alice', '--commit']);
    expect(r.code, r.stderr).toBe(0);

    const a = await records(direct);
    const b = await records(merged);
    expect(b.map((x) => `${x.action} v${x.version} ${x.from}->${x.to}`)).toEqual(a.map((x) => `${x.action} v${x.version} ${x.from}->${x.to}`));
    for (let i = 0; i < a.length; i++) {
      const keys = (x: Record<string, unknown>) => Object.keys(x).filter((k) => !['time', 'reason', 'hash', 'prev', 'source'].includes(k)).sort();
      expect(keys(b[i]!)).toEqual(keys(a[i]!));
      for (const k of ['policy', 'artifact', 'checks', 'evidence', 'displaced', 'riskTier', 'intendedUse', 'run']) expect(b[i]![k], k).toEqual(a[i]![k]);
    }
    expect(b[0]).toMatchObject({ displaced: 2, intendedUse: 'retention offers', policy: { files: ['policies/churn.yaml'] } });
    expect((b[0]!.checks as { level?: string }[]).every((c) => c.level === 'deny' || c.level === 'warn')).toBe(true);
  });
});
