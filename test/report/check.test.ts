import { describe, expect, it } from 'vitest';
import { renderCheck } from '../../src/report/check';
import { pass, richReport, specExample } from './fixtures';

const ANSI = /\u001b\[/;

describe('check --format json', () => {
  it('is the SPEC section 5 shape for the SPEC example', () => {
    const out = renderCheck(specExample(), 'json', { color: false });
    const parsed = JSON.parse(out) as Record<string, unknown>;
    expect(parsed).toEqual({
      schemaVersion: 1,
      decision: 'deny',
      summary: { transitions: 2, allowed: 1, denied: 1, warnings: 1 },
      transitions: [
        {
          model: 'churn-predictor',
          version: 3,
          from: 'Staging',
          to: 'Production',
          decision: 'deny',
          kind: 'stage',
          checks: [
            {
              id: 'metric:val_auc.min',
              status: 'fail',
              level: 'deny',
              message: 'val_auc 0.861 is below 0.88',
              actual: 0.861,
              expected: 0.88,
              policy: 'policies/churn.yaml',
            },
          ],
        },
      ],
    });
    expect(Object.keys(parsed)).toEqual(['schemaVersion', 'decision', 'summary', 'transitions']);
    expect(Object.keys(parsed.summary as object)).toEqual(['transitions', 'allowed', 'denied', 'warnings']);
    const t = (parsed.transitions as Record<string, unknown>[])[0]!;
    expect(Object.keys(t).slice(0, 6)).toEqual(['model', 'version', 'from', 'to', 'decision', 'checks']);
    const c = (t.checks as Record<string, unknown>[])[0]!;
    expect(Object.keys(c)).toEqual(['id', 'status', 'level', 'message', 'actual', 'expected', 'policy']);
  });

  it('writes non-finite actuals and evidence as strings, omits undefined fields and keeps null stages', () => {
    const report = specExample();
    const t = report.transitions[0]!;
    t.from = null;
    t.checks = [
      { id: 'metric:val_auc.min', status: 'fail', level: 'deny', message: 'val_auc nan is not a number', actual: NaN, expected: 0.88 },
      { id: 'metric:loss.max', status: 'fail', level: 'deny', message: 'loss inf', actual: Infinity, expected: -Infinity },
    ];
    t.evidence = { metrics: { val_auc: NaN } };
    const parsed = JSON.parse(renderCheck(report, 'json', { color: false }));
    const checks = parsed.transitions[0].checks;
    expect(checks[0].actual).toBe('NaN');
    expect(checks[1].actual).toBe('Infinity');
    expect(checks[1].expected).toBe('-Infinity');
    expect('policy' in checks[0]).toBe(false);
    expect(parsed.transitions[0].from).toBeNull();
    expect(parsed.transitions[0].evidence.metrics.val_auc).toBe('NaN');
  });

  it('adds file, line, lineage, evidence per transition and global checks only when present', () => {
    const parsed = JSON.parse(renderCheck(richReport(), 'json', { color: false }));
    expect(Object.keys(parsed)).toEqual(['schemaVersion', 'decision', 'summary', 'transitions', 'checks']);
    expect(parsed.checks[0].id).toBe('policy.unchanged');
    const t = parsed.transitions[0];
    expect(t.file).toBe('registry/churn-predictor.yaml');
    expect(t.line).toBe(14);
    expect(t.lineage.dataVersion).toBe('2024-03-15');
    expect(t.evidence.baseline).toEqual({ version: 2, metrics: { val_auc: 0.881, latency_p99_ms: 9.5 } });
    expect(t.checks[3].waiver).toEqual({ reason: 'holiday data gap', expires: '2026-12-31', approvedBy: 'alice' });
    const noGlobal = JSON.parse(renderCheck({ ...richReport(), checks: [] }, 'json', { color: false }));
    expect('checks' in noGlobal).toBe(false);
  });
});

describe('check --format text', () => {
  it('has no ANSI codes without colour and has them with colour', () => {
    const plain = renderCheck(richReport(), 'text', { color: false });
    const coloured = renderCheck(richReport(), 'text', { color: true });
    expect(plain).not.toMatch(ANSI);
    expect(coloured).toMatch(ANSI);
    // Same words either way.
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(plain);
  });

  it('shows one verdict line per transition, the failing checks, and a summary', () => {
    const out = renderCheck(specExample(), 'text', { color: false });
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^✗ churn-predictor v3\s+Staging → Production\s+DENY$/);
    expect(lines[1]).toMatch(/^ {4}fail\s+metric:val_auc\.min\s+val_auc 0\.861 is below 0\.88 \(policies\/churn\.yaml\)$/);
    expect(lines.at(-1)).toBe('✗ 2 transitions: 1 allowed, 1 denied, 1 warning');
  });

  it('hides passing checks unless verbose, and always shows warn, waived and skipped ones', () => {
    const brief = renderCheck(richReport(), 'text', { color: false });
    expect(brief).not.toContain('run.status');
    expect(brief).toContain('waived until 2026-12-31: holiday data gap, approved by alice');
    expect(brief).toMatch(/skipped\s+approvals\.required/);
    expect(brief).toMatch(/warn\s+metric:latency_p99_ms\.max/);
    expect(brief).toMatch(/policy checks:\n\s+warn\s+policy\.unchanged/);
    const verbose = renderCheck(richReport(), 'text', { color: false, verbose: true });
    expect(verbose).toMatch(/pass\s+run\.status/);
    expect(verbose).toContain('lineage  run abc (mlruns/1/abc) · data 2024-03-15 · commit 3f7c2e8d3f7c');
  });

  it('names the manifest line of each transition', () => {
    expect(renderCheck(richReport(), 'text', { color: false }).split('\n')[0]).toMatch(/DENY\s+registry\/churn-predictor\.yaml:14$/);
  });

  it('shows control characters in user text escaped, so they cannot act on the terminal or log', () => {
    const report = specExample();
    report.transitions[0]!.model = 'evil\u001b[2J\nmodel';
    report.transitions[0]!.checks[0]!.message = 'line one\r\n::error::forged\u202eok';
    const out = renderCheck(report, 'text', { color: false });
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u202e]/);
    expect(out).toContain('evil\\x1b[2J\\nmodel');
    expect(out).toContain('line one\\r\\n::error::forged\\u202eok');
    expect(out.split('\n').some((l) => /^\s*::/.test(l))).toBe(false);
  });

  it('says when nothing changed and when a policy check alone denies', () => {
    const empty = renderCheck({ schemaVersion: 1, decision: 'allow', summary: { transitions: 0, allowed: 0, denied: 0, warnings: 0 }, transitions: [] }, 'text', { color: false });
    expect(empty).toBe('✓ no transitions: 0 allowed, 0 denied, 0 warnings');
    const globalDeny = renderCheck(
      {
        schemaVersion: 1,
        decision: 'deny',
        summary: { transitions: 0, allowed: 0, denied: 0, warnings: 0 },
        transitions: [],
        checks: [{ id: 'policy.unchanged', status: 'fail', level: 'deny', message: 'policies changed' }],
      },
      'text',
      { color: false },
    );
    expect(globalDeny).toMatch(/fail\s+policy\.unchanged/);
    expect(globalDeny.split('\n').at(-1)).toContain('denied by policy checks');
  });

  it('reports waivers that were expired or unused even on passing checks', () => {
    const report = specExample();
    report.transitions[0]!.checks.push({ ...pass('tag:author.required'), waiver: { reason: 'old', expires: '2020-01-01', unused: true } });
    const out = renderCheck(report, 'text', { color: false });
    expect(out).toMatch(/tag:author\.required.*waiver unused/);
  });
});
