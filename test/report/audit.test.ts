import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/audit/types';
import { GENESIS_PREV } from '../../src/audit/types';
import { renderAuditHistory, renderVerifyProblems } from '../../src/report/audit';
import { cells, tables } from './mdParse';

function record(seq: number, over: Partial<AuditRecord> = {}): AuditRecord {
  return {
    seq,
    time: `2026-11-2${seq}T10:00:00.000Z`,
    actor: 'alice',
    action: 'promote',
    model: 'churn-predictor',
    version: 3,
    from: 'Staging',
    to: 'Production',
    reason: 'beats champion on val_auc by a comfortable margin on every slice we track',
    checks: [{ id: 'metric:val_auc.min', status: 'pass' }],
    evidence: { metrics: { val_auc: 0.8862, loss: 'NaN' } },
    prev: GENESIS_PREV,
    hash: 'sha256:' + 'ab12'.repeat(16),
    ...over,
  };
}

describe('audit history', () => {
  it('text is a table: time, model, version, change, actor, action, truncated reason, short hash', () => {
    const out = renderAuditHistory([record(1, { from: null, to: 'None', action: 'register', reason: undefined }), record(2), record(3, { to: '@champion', removed: true, action: 'alias' })], 'text');
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^time\s+model\s+version\s+change\s+actor\s+action\s+reason\s+hash$/);
    expect(lines[1]).toMatch(/^2026-11-21 10:00:00Z\s+churn-predictor\s+v3\s+new → None\s+alice\s+register\s+ab12ab12ab12$/);
    expect(lines[2]).toContain('Staging → Production');
    expect(lines[2]).toContain(record(2).reason!.slice(0, 39) + '…');
    expect(lines[2]).not.toContain('every slice');
    expect(lines[3]).toContain('@champion removed');
  });

  it('json is an array of the records as stored', () => {
    const records = [record(1), record(2)];
    const parsed = JSON.parse(renderAuditHistory(records, 'json'));
    expect(parsed).toEqual(records);
  });

  it('markdown escapes what users wrote', () => {
    const out = renderAuditHistory([record(1, { actor: '@octocat', reason: 'a | b <img src=x onerror=1>' })], 'markdown');
    const [t] = tables(out);
    expect(t).toHaveLength(3);
    for (const row of t!) expect(cells(row)).toHaveLength(8);
    expect(out).not.toContain('<img');
    expect(out).not.toContain('@octocat');
  });

  it('says when there is no history', () => {
    expect(renderAuditHistory([], 'text')).toBe('no audit records');
    expect(renderAuditHistory([], 'json')).toBe('[]');
  });
});

describe('audit verify', () => {
  const totals = { models: 3, records: 42 };

  it('says verified when nothing is wrong', () => {
    expect(renderVerifyProblems([], 'text', totals)).toBe('✓ audit verified: 3 models, 42 records');
    expect(JSON.parse(renderVerifyProblems([], 'json', totals))).toEqual({ ok: true, models: 3, records: 42, problems: [] });
    expect(renderVerifyProblems([], 'markdown', totals)).toContain('✅ audit verified: 3 models, 42 records');
  });

  it('names model, record, line or commit of each problem and counts them', () => {
    const problems = [
      { model: 'churn-predictor', seq: 4, line: 4, message: 'hash does not recompute' },
      { model: 'fraud', commit: '0123456789abcdef0123456789abcdef01234567', message: 'stage change not recorded' },
      { model: 'x\u001b[31m', message: 'manifest unreadable' },
    ];
    const out = renderVerifyProblems(problems, 'text', totals).split('\n');
    expect(out).toEqual([
      '✗ churn-predictor record 4 (line 4): hash does not recompute',
      '✗ fraud commit 0123456789ab: stage change not recorded',
      '✗ x\\x1b[31m: manifest unreadable',
      '✗ 3 problems in 3 models, 42 records',
    ]);
    const json = JSON.parse(renderVerifyProblems(problems, 'json', totals));
    expect(json.ok).toBe(false);
    expect(json.problems).toEqual(problems);
    const md = renderVerifyProblems(problems, 'markdown', totals);
    expect(md.split('\n')[0]).toBe('### ❌ audit verify: 3 problems in 3 models, 42 records');
    expect(tables(md)[0]).toHaveLength(5);
  });
});
