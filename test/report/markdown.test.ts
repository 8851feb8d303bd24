import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { renderCheck } from '../../src/report/check';
import { escapeMarkdown, escapeMermaid } from '../../src/report/markdown';
import type { CheckReport } from '../../src/policy/types';
import { pass, richReport, specExample } from './fixtures';
import { cells, fenceCount, tables, withoutOwnTags } from './mdParse';

const md = (r: CheckReport) => renderCheck(r, 'markdown', { color: false });

/** Every table keeps its header's cell count on every row (an unescaped `|` would break one). */
function expectTablesIntact(out: string): void {
  for (const t of tables(out)) {
    const width = cells(t[0]!).length;
    for (const row of t) expect(cells(row), row).toHaveLength(width);
    expect(t[1]).toMatch(/^\|(-{3}:?\|)+$/);
  }
}

/** Nothing from user text is live: no HTML tag, no mention, no workflow command, no broken fence. */
function expectInert(out: string): void {
  expect(withoutOwnTags(out)).not.toMatch(/<[A-Za-z/!?]/);
  expect(out).not.toMatch(/@[A-Za-z0-9]/);
  expect(out.split('\n').some((l) => /^\s*::/.test(l))).toBe(false);
  expect(out).not.toContain('##[');
  expectNoAutolink(out);
  expect(fenceCount(out) % 2).toBe(0);
  expectTablesIntact(out);
}

/**
 * Nothing GFM's extended autolinks would make clickable: `scheme://` (recognised at `://`),
 * `www.` at a word start, `mailto:`/`xmpp:` addresses, and emails (a domain character right
 * after `@`, already excluded above), outside code fences.
 */
function expectNoAutolink(markdown: string): void {
  // Inside a code fence (the lineage diagram) nothing is autolinked; mermaid labels are text.
  const out = markdown.replace(/^```mermaid\n[\s\S]*?^```$/gm, '');
  expect(out).not.toContain('://');
  expect(out).not.toMatch(/www\./i);
  expect(out).not.toMatch(/(?:mailto|xmpp):(?!\u200d)/i);
  expect(out).not.toMatch(/@[\p{L}\p{N}._-]/u);
}

describe('check --format markdown', () => {
  it('starts with the verdict and has one check table per transition, evidence, lineage and passes', () => {
    const out = md(richReport());
    const lines = out.split('\n');
    expect(lines[0]).toBe('### ❌ modelgate: 1 of 2 transitions denied');
    expect(out).toContain('#### ❌ churn-predictor v3: Staging → Production — denied');
    expect(out).toContain('#### ✅ fraud-model v7: None → Staging — allowed');

    const all = tables(out);
    const checkTables = all.filter((t) => t[0] === '| check | status | detail |');
    expect(checkTables).toHaveLength(3); // two transitions + policy checks
    expect(checkTables[0]!.slice(2).map((r) => cells(r)[1]!.trim())).toEqual(['❌ fail', '🟡 waived', '⏭️ skipped']);
    expect(cells(checkTables[0]![2]!)[2]).toContain('val\\_auc 0.861 is below 0.88');

    const evidence = all.find((t) => t[0]!.startsWith('| metric |'))!;
    expect(evidence[0]).toBe('| metric | baseline v2 | this v3 | Δ |');
    expect(evidence.map((r) => cells(r).map((c) => c.trim()))).toContainEqual(['val\\_auc', '0.881', '0.861', '-0.020']);

    expect(out).toMatch(/```mermaid\nflowchart LR\n {2}run\["run abc #40;mlruns\/1\/abc#41;"\]\n {2}data\["data 2024-03-15"\]\n {2}commit\["commit 3f7c2e8d3f7c"\]\n {2}artifact\["artifact s3:\/\/ml-models\/churn\/3\/ sha256:abababababab"\]\n {2}run --> data\n {2}data --> commit\n {2}commit --> artifact\n```/);
    expect(out).toContain('<details><summary>2 passing checks</summary>');
    expect(out).toContain('<details><summary>1 passing check</summary>');
    expect(out).toContain('#### Policy checks');
    expectInert(out);
  });

  it('draws only the lineage nodes that are known, and no diagram without lineage', () => {
    const r = richReport();
    r.transitions[0]!.lineage = { run: 'runs/7c9e.json', digest: 'sha256:' + 'cd'.repeat(32) };
    const out = md(r);
    expect(out).toContain('  run["run runs/7c9e.json"]\n  artifact["artifact sha256:cdcdcdcdcdcd"]\n  run --> artifact\n```');
    expect(out.match(/```mermaid/g)).toHaveLength(1);
    expect(md(specExample())).not.toContain('mermaid');
  });

  it('says allowed, with warnings counted, when nothing is denied', () => {
    const r = richReport();
    r.transitions = [r.transitions[1]!];
    r.decision = 'allow';
    r.summary = { transitions: 1, allowed: 1, denied: 0, warnings: 2 };
    expect(md(r).split('\n')[0]).toBe('### ✅ modelgate: 1 transition allowed (2 warnings)');
    const allPass = specExample();
    allPass.decision = 'allow';
    allPass.summary = { transitions: 1, allowed: 1, denied: 0, warnings: 0 };
    allPass.transitions[0]!.decision = 'allow';
    allPass.transitions[0]!.checks = [pass('run.status'), pass('signature.required')];
    const out = md(allPass);
    expect(out.split('\n')[0]).toBe('### ✅ modelgate: 1 transition allowed');
    expect(out).toContain('All 2 checks pass.');
    expect(out).toContain('<details><summary>2 passing checks</summary>');
  });

  it('keeps hostile user text inert', () => {
    const evil = '| ** [x](javascript:alert(1)) <img src=x onerror=alert(1)> @octocat ::error::boom';
    const r = richReport();
    const t = r.transitions[0]!;
    t.model = evil;
    t.file = `registry/${evil}.yaml`;
    t.checks[2]!.message = evil;
    t.checks[2]!.id = `tag:${evil}.match`;
    t.checks[3]!.waiver = { reason: evil, expires: '2026-12-31', approvedBy: '@octocat' };
    t.lineage = { run: evil, dataVersion: evil, gitCommit: evil, artifact: '```\n</details>' + evil };
    t.evidence!.metrics[evil] = 1;
    r.checks![0]!.message = `::error::boom\n${evil}`;
    const out = md(r);
    expect(out).not.toContain('<img');
    expect(out).not.toMatch(/(?<!\\)\]\(javascript:/);
    expect(out).not.toContain('@octocat');
    expect(out).toContain('@\u200doctocat');
    expectInert(out);
    // The user's pipe is in the cell as text, not a new column.
    const row = tables(out).flat().find((l) => l.includes('javascript'))!;
    expect(cells(row)).toHaveLength(3);
    // Details still balance: the user's `</details>` is text.
    expect(out.match(/<details>/g)!.length).toBe(out.match(/<\/details>/g)!.length);
  });

  it('property: any model name, message, reason or lineage text keeps tables whole and nothing live', () => {
    const nasty = fc.constantFrom('|', '\\', '\\|', '<', '<a', '</details>', '```', '::', '@x', '\n', '\r', '#', '`', '*', '_', '[', ']', '(', '&lt;', '$', '\u2028', '\u0000', '\u001b', '\ud800', '"', '##[', '##[error]', 'https://', 'HTTP://', 'www.', 'WWW.', 'ftp://', 'mailto:', 'xmpp:', 'a@b.example', ':', '/', '.');
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.array(fc.oneof(nasty, fc.string({ maxLength: 3 })), { maxLength: 12 }).map((a) => a.join('')),
    );
    fc.assert(
      fc.property(text, text, text, text, (model, message, reason, run) => {
        const r = richReport();
        const t = r.transitions[0]!;
        t.model = model;
        t.checks[2]!.message = message;
        t.checks[0]!.message = message;
        t.checks[3]!.waiver = { reason, expires: '2026-12-31' };
        t.lineage = { run, dataVersion: reason };
        t.evidence!.metrics[message] = 0.5;
        r.transitions[1]!.model = reason;
        expectInert(md(r));
      }),
      { numRuns: 200 },
    );
  });
});

describe('neutral output in every format', () => {
  const hostile = fc.oneof(
    fc.string(),
    fc.array(fc.oneof(fc.constantFrom('##[', '##[error]pwned', '#', '[', 'https://evil.example', 'www.evil.example', 'x@evil.example', '::error::', '\n', '\\', '"', '\u005b'), fc.string({ maxLength: 3 })), { maxLength: 10 }).map((a) => a.join('')),
  );

  it('property: json never holds a raw `##[` and parses back to the original values', () => {
    fc.assert(
      fc.property(hostile, hostile, (model, message) => {
        const r = richReport();
        r.transitions[0]!.model = model;
        r.transitions[0]!.checks[0]!.message = message;
        const out = renderCheck(r, 'json', { color: false });
        expect(out).not.toContain('##[');
        const back = JSON.parse(out) as { transitions: { model: string; checks: { message: string }[] }[] };
        expect(back.transitions[0]!.model).toBe(model);
        expect(back.transitions[0]!.checks[0]!.message).toBe(message);
      }),
      { numRuns: 300 },
    );
  });

  it('property: text and markdown never hold a raw `##[`; markdown has no autolink', () => {
    fc.assert(
      fc.property(hostile, hostile, (model, message) => {
        const r = richReport();
        r.transitions[0]!.model = model;
        r.transitions[0]!.checks[0]!.message = message;
        expect(renderCheck(r, 'text', { color: false })).not.toContain('##[');
        expectInert(md(r));
      }),
      { numRuns: 300 },
    );
  });

  it('escapeMarkdown keeps URLs, www names and emails readable but not clickable', () => {
    expect(escapeMarkdown('see https://evil.example/x')).toBe('see https:\u200d//evil.example/x');
    expect(escapeMarkdown('www.evil.example')).toBe('www\u200d.evil.example');
    expect(escapeMarkdown('mail bob@evil.example')).toBe('mail bob@\u200devil.example');
    expect(escapeMarkdown('mailto:x')).toBe('mailto:\u200dx');
    expect(escapeMarkdown('##[error]x')).toBe('\\#\\#\\[error\\]x');
    expect(escapeMarkdown('fixes acme/models#42 and GH-7')).toBe('fixes acme/models\\#\u200d42 and GH-\u200d7');
    expect(escapeMarkdown('#tag stays')).toBe('\\#tag stays');
  });
});

describe('escapeMarkdown', () => {
  it('leaves plain words alone and escapes what markdown, HTML, math and mentions would act on', () => {
    expect(escapeMarkdown('churn-predictor v3')).toBe('churn-predictor v3');
    expect(escapeMarkdown('a|b')).toBe('a\\|b');
    // `#1` also gets a joiner: GitHub would link it to issue 1 (and post a back-reference there).
    expect(escapeMarkdown('**bold** _i_ `c` [l](u) ~s~ #1')).toBe('\\*\\*bold\\*\\* \\_i\\_ \\`c\\` \\[l\\](u) \\~s\\~ \\#\u200d1');
    expect(escapeMarkdown('<script>&amp;')).toBe('&lt;script&gt;&amp;amp;');
    expect(escapeMarkdown('$x$')).toBe('&#36;x&#36;');
    expect(escapeMarkdown('@acme/ml-leads')).toBe('@\u200dacme/ml-leads');
    expect(escapeMarkdown('two\nlines')).toBe('two lines');
    expect(escapeMarkdown('esc\u001b[31m')).toBe('esc\\\\x1b\\[31m');
  });

  it('neutralizes constructs that act at the start of a line', () => {
    expect(escapeMarkdown('::error::boom')).toBe('\\::error::boom');
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('1. item')).toBe('1\\. item');
    expect(escapeMarkdown('> quote')).toBe('&gt; quote');
  });
});

describe('escapeMermaid', () => {
  it('keeps labels inside their quotes and the code fence', () => {
    expect(escapeMermaid('mlruns/1/abc')).toBe('mlruns/1/abc');
    const out = escapeMermaid('a"]; click run "javascript:x"\n```<b>#');
    expect(out).not.toMatch(/["`<>\]\n]/);
    expect(out).toBe('a#34;#93;#59; click run #34;javascript:x#34; #96;#96;#96;#60;b#62;#35;');
  });
});
