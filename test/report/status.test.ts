import { describe, expect, it } from 'vitest';
import { renderStatus, type StatusView } from '../../src/report/status';
import { cells, tables, withoutOwnTags } from './mdParse';

function view(): StatusView {
  const archived = Array.from({ length: 40 }, (_v, i) => ({ version: i + 1, stage: 'Archived' as const, run: `mlruns/1/r${i + 1}`, aliases: [] }));
  return {
    model: 'churn-predictor',
    file: 'registry/churn-predictor.yaml',
    owner: '@acme/ml-churn',
    riskTier: 'high',
    versions: [
      ...archived,
      { version: 41, stage: 'Production', run: 'mlruns/1/p', aliases: ['champion'], runId: 'p', metrics: { val_auc: 0.8862, loss: NaN } },
      { version: 42, stage: 'None', run: 'runs/n.json', aliases: [] },
      { version: 43, stage: 'Staging', run: 'runs/s.json', aliases: ['challenger'], metrics: { val_auc: 0.89 } },
      { version: 44, stage: 'None', run: 'runs/n2.json', aliases: [] },
    ],
    aliases: { champion: 41, challenger: 43 },
  };
}

describe('status', () => {
  it('lists Production, Staging, None, then the newest archived, and counts the rest', () => {
    const out = renderStatus([view()], 'text', { color: false });
    const versions = [...out.matchAll(/^ {2}v(\d+)/gm)].map((m) => Number(m[1]));
    expect(versions).toEqual([41, 43, 44, 42, 40, 39, 38]);
    expect(out).toContain('  … and 37 more archived');
    expect(out.split('\n')[0]).toBe('churn-predictor  (owner @acme/ml-churn, risk high)  registry/churn-predictor.yaml');
    expect(out).toMatch(/v41\s+Production\s+@champion\s+mlruns\/1\/p\s+val_auc=0\.8862 {2}loss=NaN/);
    expect(out).not.toMatch(/\u001b\[/);
    expect(renderStatus([view()], 'text', { color: true })).toMatch(/\u001b\[32mProduction/);
  });

  it('keeps an archived version that an alias points at', () => {
    const v = view();
    v.versions[0]!.aliases = ['golden'];
    const out = renderStatus([v], 'text', { color: false });
    expect(out).toMatch(/v1\s+Archived\s+@golden/);
    expect(out).toContain('… and 36 more archived');
  });

  it('json is the views as they are, with NaN as a string', () => {
    const parsed = JSON.parse(renderStatus([view()], 'json', { color: false }));
    expect(parsed[0].versions).toHaveLength(44);
    expect(parsed[0].versions[40].metrics).toEqual({ val_auc: 0.8862, loss: 'NaN' });
    expect(parsed[0].aliases).toEqual({ champion: 41, challenger: 43 });
  });

  it('markdown is one escaped table per model that pings nobody', () => {
    const v = view();
    v.model = 'evil|<img src=x onerror=alert(1)>';
    v.versions[40]!.run = 'runs/a|b<script>.json';
    const out = renderStatus([v, view()], 'markdown', { color: false });
    const t = tables(out);
    expect(t).toHaveLength(2);
    for (const table of t) for (const row of table) expect(cells(row)).toHaveLength(5);
    expect(withoutOwnTags(out)).not.toMatch(/<[A-Za-z/]/);
    expect(out).not.toMatch(/@[A-Za-z]/);
    expect(out).toContain('… and 37 more archived');
  });

  it('says when the registry is empty', () => {
    expect(renderStatus([], 'text', { color: false })).toBe('no models in the registry');
    expect(JSON.parse(renderStatus([], 'json', { color: false }))).toEqual([]);
  });
});
