import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { COMMENT_LIMIT_CHARS, SUMMARY_LIMIT_BYTES, renderCheck, trimMarkdown, truncationNote } from '../../src/report/check';
import type { CheckReport, TransitionResult } from '../../src/policy/types';
import { pass, richReport } from './fixtures';
import { fenceCount, tables, cells } from './mdParse';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const NOTE = /_report truncated: \d+ more lines?; the full report is in the job summary \/ report file_\n$/;

/** A report as large as a busy monorepo's: many transitions, each with checks, evidence and lineage. */
function bigReport(transitions: number, text = 'x'): CheckReport {
  const base = richReport().transitions[0]!;
  const list: TransitionResult[] = Array.from({ length: transitions }, (_v, i) => ({
    ...base,
    model: `model-${i}-${text}`,
    checks: [
      ...Array.from({ length: 8 }, (_c, j) => pass(`tag:t${j}.required`, `tag t${j} present: ${text.repeat(20)}`)),
      ...base.checks,
      { id: 'metric:auc.min', status: 'fail' as const, level: 'deny' as const, message: `auc too low ${text.repeat(30)}` },
    ],
  }));
  return { schemaVersion: 1, decision: 'deny', summary: { transitions, allowed: 0, denied: transitions, warnings: 0 }, transitions: list };
}

function expectWellFormed(out: string, limit: number): void {
  expect(bytes(out)).toBeLessThanOrEqual(limit);
  expect(out).toMatch(NOTE);
  expect(fenceCount(out) % 2).toBe(0);
  expect((out.match(/<details>/g) ?? []).length).toBe((out.match(/<\/details>/g) ?? []).length);
  // The note is its own paragraph, not a row of a table left open above it.
  expect(out).toMatch(/\n\n_report truncated/);
  for (const t of tables(out)) {
    const width = cells(t[0]!).length;
    for (const row of t) expect(cells(row)).toHaveLength(width);
  }
}

describe('trimMarkdown', () => {
  it('returns a report within the limit unchanged', () => {
    const md = renderCheck(richReport(), 'markdown', { color: false });
    expect(trimMarkdown(md, COMMENT_LIMIT_CHARS)).toBe(md);
  });

  it('cuts a large report to the comment limit at a line boundary, closing what it opened', () => {
    const md = renderCheck(bigReport(150), 'markdown', { color: false });
    expect(bytes(md)).toBeGreaterThan(COMMENT_LIMIT_CHARS);
    const out = trimMarkdown(md, COMMENT_LIMIT_CHARS);
    expectWellFormed(out, COMMENT_LIMIT_CHARS);
    const kept = out.slice(0, out.indexOf('\n\n_report truncated'));
    const firstLines = kept.split('\n').filter((l) => l !== '</details>' && l !== '');
    // Every kept line (but the closers it added) is a whole line of the original.
    const originalLines = new Set(md.split('\n'));
    for (const l of firstLines) expect(originalLines.has(l)).toBe(true);
    const dropped = Number(/truncated: (\d+) more/.exec(out)![1]);
    expect(dropped).toBeGreaterThan(0);
    expect(out.length).toBeGreaterThan(COMMENT_LIMIT_CHARS * 0.9); // uses the room it has
  });

  it('measures bytes, so text with many non-ASCII characters stays within the comment limit in characters too', () => {
    const md = renderCheck(bigReport(60, 'é😀'), 'markdown', { color: false });
    const out = trimMarkdown(md, COMMENT_LIMIT_CHARS);
    expectWellFormed(out, COMMENT_LIMIT_CHARS);
    expect(out.length).toBeLessThanOrEqual(65_536);
  });

  it('has a summary limit below GitHub’s 1 MiB step summary limit', () => {
    expect(SUMMARY_LIMIT_BYTES).toBeLessThan(1024 * 1024);
    expect(SUMMARY_LIMIT_BYTES).toBeGreaterThan(900 * 1024);
    const md = renderCheck(bigReport(100), 'markdown', { color: false }).repeat(15);
    expect(bytes(md)).toBeGreaterThan(SUMMARY_LIMIT_BYTES);
    expectWellFormed(trimMarkdown(md, SUMMARY_LIMIT_BYTES), SUMMARY_LIMIT_BYTES);
  });

  it('never leaves a code fence or a details block open, whatever the limit', () => {
    const md = renderCheck(bigReport(6), 'markdown', { color: false });
    fc.assert(
      fc.property(fc.integer({ min: 200, max: bytes(md) - 1 }), (limit) => {
        expectWellFormed(trimMarkdown(md, limit), limit);
      }),
      { numRuns: 150 },
    );
  });

  it('drops a diagram whole rather than cutting it', () => {
    const lines = ['### head', '', '```mermaid', 'flowchart LR', '  a["a"]', '  b["b"]', '  a --> b', '```', '', 'tail line '.repeat(30)];
    const md = lines.join('\n') + '\n';
    // Room for everything up to the closing fence, but not the fence itself.
    const beforeFence = lines.slice(0, 7).join('\n') + '\n';
    const limit = bytes(beforeFence) + bytes('\n' + truncationNote(3) + '\n') + 2;
    const out = trimMarkdown(md, limit);
    expect(out).toBe('### head\n\n\n' + truncationNote(8) + '\n');
  });

  it('still says it truncated when the limit leaves room for nothing else', () => {
    const out = trimMarkdown('x'.repeat(1000), 40);
    expect(bytes(out)).toBeLessThanOrEqual(40);
    expect(out.startsWith('_report truncated')).toBe(true);
  });
});
