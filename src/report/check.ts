/**
 * The check report (the gate's verdict on a set of transitions) in every output format. One
 * result shape comes in (CheckReport); text is for a terminal, json is the stable machine
 * contract of SPEC section 5, markdown is for PR comments and job summaries.
 */
import type { CheckReport, TransitionResult, CheckResult, CheckStatus } from '../policy/types';
import type { OutputFormat } from './format';
import { escapeMarkdown, escapeMermaid, mdDetails, mdTable } from './markdown';
import {
  formatNumber,
  neutralizeWorkflowCommands,
  painter,
  plural,
  printable,
  shortHash,
  table,
  toJson,
  transitionLabel,
  truncate,
  type Hue,
  type Paint,
} from './text';

export interface RenderOptions {
  /** ANSI colour in text output (decided by the caller: TTY and no NO_COLOR). */
  color: boolean;
  /** Text output lists passing checks and lineage too. */
  verbose?: boolean;
}

/**
 * Size limits for `trimMarkdown`, which measures UTF-8 bytes. GitHub caps a step's job summary
 * at 1 MiB (bytes); the headroom leaves room for anything else the step adds. A comment body is
 * capped at 65,536 characters: a UTF-8 byte count is never below the UTF-16 length, so a body
 * within 65,000 bytes is always within the character limit too (non-ASCII text is cut earlier
 * than strictly needed, never rejected).
 */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024 - 32 * 1024;
export const COMMENT_LIMIT_CHARS = 65_000;

export function renderCheck(report: CheckReport, format: OutputFormat, opts: RenderOptions): string {
  if (format === 'json') return toJson(checkReportJson(report));
  if (format === 'markdown') return neutralizeWorkflowCommands(renderMarkdown(report));
  return neutralizeWorkflowCommands(renderText(report, opts));
}

// ---------------------------------------------------------------------------------------------
// json

/**
 * The SPEC section 5 shape with its key order; extra keys follow the specified ones. Undefined
 * fields are omitted (JSON.stringify drops them); non-finite numbers become their names in toJson.
 */
export function checkReportJson(report: CheckReport): Record<string, unknown> {
  return {
    schemaVersion: report.schemaVersion,
    decision: report.decision,
    summary: {
      transitions: report.summary.transitions,
      allowed: report.summary.allowed,
      denied: report.summary.denied,
      warnings: report.summary.warnings,
    },
    transitions: report.transitions.map(transitionJson),
    ...(report.checks && report.checks.length > 0 ? { checks: report.checks.map(checkJson) } : {}),
  };
}

function transitionJson(t: TransitionResult): Record<string, unknown> {
  return {
    model: t.model,
    version: t.version,
    from: t.from,
    to: t.to,
    decision: t.decision,
    checks: t.checks.map(checkJson),
    kind: t.kind,
    via: t.via,
    previousVersion: t.previousVersion,
    file: t.file,
    line: t.line,
    lineage: t.lineage && {
      run: t.lineage.run,
      runId: t.lineage.runId,
      dataVersion: t.lineage.dataVersion,
      gitCommit: t.lineage.gitCommit,
      artifact: t.lineage.artifact,
      digest: t.lineage.digest,
    },
    evidence: t.evidence && {
      metrics: t.evidence.metrics,
      baseline: t.evidence.baseline && { version: t.evidence.baseline.version, metrics: t.evidence.baseline.metrics },
    },
  };
}

function checkJson(c: CheckResult): Record<string, unknown> {
  return {
    id: c.id,
    status: c.status,
    level: c.level,
    message: c.message,
    actual: c.actual,
    expected: c.expected,
    policy: c.policy,
    waiver: c.waiver && {
      reason: c.waiver.reason,
      expires: c.waiver.expires,
      approvedBy: c.waiver.approvedBy,
      expired: c.waiver.expired,
      unused: c.waiver.unused,
    },
    baseline: c.baseline && { version: c.baseline.version, value: c.baseline.value },
  };
}

// ---------------------------------------------------------------------------------------------
// shared wording

/** A check worth showing without `--verbose`: anything but a plain pass (waiver notes included). */
function isNotable(c: CheckResult): boolean {
  return c.status !== 'pass' || c.waiver !== undefined;
}

function transitionName(t: TransitionResult): string {
  return `${t.model} v${t.version}`;
}

function movement(t: TransitionResult): string {
  if (t.kind === 'modify') return `${t.from ?? 'None'} (changed in place)`;
  const { from, to } = transitionLabel(t.from, t.to);
  const was = t.previousVersion !== undefined ? ` (was v${t.previousVersion})` : '';
  const via = t.via ? ` (${t.via})` : '';
  return `${from} → ${to}${was}${via}`;
}

/** What a waiver did, in words; undefined when the check carries none. */
function waiverNote(c: CheckResult): string | undefined {
  const w = c.waiver;
  if (!w) return undefined;
  const by = w.approvedBy ? `, approved by ${w.approvedBy}` : '';
  if (w.expired) return `waiver expired ${w.expires} (${w.reason}${by})`;
  if (w.unused) return `waiver unused: the check did not fail (${w.reason}, expires ${w.expires}${by})`;
  return `waived until ${w.expires}: ${w.reason}${by}`;
}

function detailOf(c: CheckResult): string {
  return c.policy ? `${c.message} (${c.policy})` : c.message;
}

function summaryLine(report: CheckReport): string {
  const s = report.summary;
  const head = s.transitions === 0 ? 'no transitions' : plural(s.transitions, 'transition');
  const parts = [`${s.allowed} allowed`, `${s.denied} denied`, plural(s.warnings, 'warning')];
  const global = report.decision === 'deny' && s.denied === 0 ? '; denied by policy checks' : '';
  return `${head}: ${parts.join(', ')}${global}`;
}

// ---------------------------------------------------------------------------------------------
// text

const STATUS_HUE: Record<CheckStatus, Hue> = { pass: 'green', fail: 'red', warn: 'yellow', waived: 'cyan', skipped: 'dim' };

function renderText(report: CheckReport, opts: RenderOptions): string {
  const paint = painter(opts.color);
  const shown = (checks: CheckResult[]) => (opts.verbose ? checks : checks.filter(isNotable));

  // One table for every check row in the report, so columns line up across transitions.
  const checkRows: string[][] = [];
  const rowsOf = (checks: CheckResult[]) => {
    const start = checkRows.length;
    for (const c of shown(checks)) checkRows.push(checkRowText(c, paint));
    return [start, checkRows.length] as const;
  };
  const spans = report.transitions.map((t) => rowsOf(t.checks));
  const globalSpan = rowsOf(report.checks ?? []);
  const checkLines = table(checkRows, { indent: '    ' });

  const heads = table(
    report.transitions.map((t) => {
      const deny = t.decision === 'deny';
      const where = t.file ? paint('dim', printable(t.line ? `${t.file}:${t.line}` : t.file)) : '';
      return [
        `${paint(deny ? 'red' : 'green', deny ? '✗' : '✓')} ${paint('bold', printable(transitionName(t)))}`,
        printable(movement(t)),
        paint(deny ? 'red' : 'green', deny ? 'DENY' : 'ALLOW'),
        where,
      ];
    }),
  );

  const lines: string[] = [];
  report.transitions.forEach((t, i) => {
    lines.push(heads[i]!);
    const [from, to] = spans[i]!;
    lines.push(...checkLines.slice(from, to));
    if (opts.verbose && t.lineage) lines.push(`    ${paint('dim', 'lineage')}  ${printable(lineageText(t.lineage))}`);
  });
  if (globalSpan[1] > globalSpan[0]) {
    lines.push('policy checks:');
    lines.push(...checkLines.slice(globalSpan[0], globalSpan[1]));
  }
  const verdict = report.decision === 'deny' ? paint('red', '✗') : paint('green', '✓');
  lines.push(`${verdict} ${summaryLine(report)}`);
  return lines.join('\n');
}

function checkRowText(c: CheckResult, paint: Paint): string[] {
  const note = waiverNote(c);
  const detail = printable(detailOf(c)) + (note ? paint('cyan', ` — ${printable(note)}`) : '');
  return [paint(STATUS_HUE[c.status], c.status), printable(c.id), detail];
}

function lineageText(l: NonNullable<TransitionResult['lineage']>): string {
  return lineageNodes(l)
    .map((n) => n.label)
    .join(' · ');
}

// ---------------------------------------------------------------------------------------------
// markdown

const STATUS_MD: Record<CheckStatus, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  warn: '⚠️ warn',
  waived: '🟡 waived',
  skipped: '⏭️ skipped',
};

function renderMarkdown(report: CheckReport): string {
  const out: string[] = [verdictLine(report), '', escapeMarkdown(summaryLine(report))];
  for (const t of report.transitions) out.push('', ...transitionMarkdown(t));
  if (report.checks && report.checks.length > 0) {
    out.push('', '#### Policy checks', '', ...checkTable(report.checks));
  }
  return out.join('\n') + '\n';
}

function verdictLine(report: CheckReport): string {
  const s = report.summary;
  if (report.decision === 'deny') {
    if (s.denied === 0) return '### ❌ modelgate: denied by policy checks';
    return `### ❌ modelgate: ${s.denied} of ${plural(s.transitions, 'transition')} denied`;
  }
  const warn = s.warnings > 0 ? ` (${plural(s.warnings, 'warning')})` : '';
  if (s.transitions === 0) return `### ✅ modelgate: no transitions to check${warn}`;
  return `### ✅ modelgate: ${plural(s.transitions, 'transition')} allowed${warn}`;
}

function transitionMarkdown(t: TransitionResult): string[] {
  const deny = t.decision === 'deny';
  const out = [`#### ${deny ? '❌' : '✅'} ${escapeMarkdown(transitionName(t))}: ${escapeMarkdown(movement(t))} — ${deny ? 'denied' : 'allowed'}`];
  if (t.file) out.push('', escapeMarkdown(t.line ? `${t.file} line ${t.line}` : t.file));

  const notable = t.checks.filter(isNotable);
  const passing = t.checks.filter((c) => !isNotable(c));
  out.push('');
  if (notable.length > 0) out.push(...checkTable(notable));
  else out.push(t.checks.length > 0 ? `All ${plural(t.checks.length, 'check')} pass.` : 'No checks apply.');

  if (t.evidence?.baseline) out.push('', ...evidenceMarkdown(t.version, t.evidence.metrics, t.evidence.baseline));
  if (t.lineage) out.push('', ...lineageMermaid(t.lineage));
  if (passing.length > 0) {
    const rows = passing.map((c) => [`<code>${escapeMarkdown(c.id)}</code>`, escapeMarkdown(detailOf(c))]);
    out.push('', ...mdDetails(plural(passing.length, 'passing check'), mdTable(['check', 'detail'], rows)));
  }
  return out;
}

function checkTable(checks: CheckResult[]): string[] {
  return mdTable(
    ['check', 'status', 'detail'],
    checks.map((c) => {
      const note = waiverNote(c);
      return [`<code>${escapeMarkdown(c.id)}</code>`, STATUS_MD[c.status], escapeMarkdown(detailOf(c)) + (note ? `<br>${escapeMarkdown(note)}` : '')];
    }),
  );
}

/** Champion vs challenger: every metric either side knows, with the change. */
function evidenceMarkdown(version: number, metrics: Record<string, number>, baseline: { version: number; metrics: Record<string, number> }): string[] {
  const names = [...new Set([...Object.keys(baseline.metrics), ...Object.keys(metrics)])].sort();
  const rows = names.map((name) => {
    const base = baseline.metrics[name];
    const mine = metrics[name];
    return [escapeMarkdown(name), base === undefined ? '—' : formatNumber(base), mine === undefined ? '—' : formatNumber(mine), delta(base, mine)];
  });
  return [
    '**Champion vs challenger**',
    '',
    ...mdTable(['metric', `baseline v${baseline.version}`, `this v${version}`, 'Δ'], rows, ['left', 'right', 'right', 'right']),
  ];
}

/** this − baseline, rounded to the decimals the two values show (no 0.0011000000000000899). */
export function delta(base: number | undefined, mine: number | undefined): string {
  if (base === undefined || mine === undefined) return '—';
  const d = mine - base;
  if (!Number.isFinite(d)) return formatNumber(d);
  const decimals = Math.min(12, Math.max(fractionDigits(base), fractionDigits(mine)));
  const fixed = d.toFixed(decimals);
  const text = /e/i.test(String(base)) || /e/i.test(String(mine)) ? String(Number(d.toPrecision(6))) : fixed;
  if (Number(text) === 0) return '±0';
  return d > 0 ? `+${text}` : text;
}

function fractionDigits(n: number): number {
  const m = /\.(\d+)$/.exec(String(n));
  return m ? m[1]!.length : 0;
}

interface LineageNode {
  id: string;
  label: string;
}

/** The lineage chain run → data version → git commit → artifact, known nodes only. */
function lineageNodes(l: NonNullable<TransitionResult['lineage']>): LineageNode[] {
  const nodes: LineageNode[] = [];
  nodes.push({ id: 'run', label: l.runId && l.runId !== l.run ? `run ${l.runId} (${l.run})` : `run ${l.run}` });
  if (l.dataVersion) nodes.push({ id: 'data', label: `data ${l.dataVersion}` });
  if (l.gitCommit) nodes.push({ id: 'commit', label: `commit ${shortHash(l.gitCommit)}` });
  if (l.artifact || l.digest) {
    const parts = [l.artifact, l.digest ? `sha256:${shortHash(l.digest)}` : undefined].filter(Boolean);
    nodes.push({ id: 'artifact', label: `artifact ${parts.join(' ')}` });
  }
  return nodes;
}

function lineageMermaid(l: NonNullable<TransitionResult['lineage']>): string[] {
  const nodes = lineageNodes(l);
  const lines = ['```mermaid', 'flowchart LR'];
  for (const n of nodes) lines.push(`  ${n.id}["${escapeMermaid(truncate(n.label, 80))}"]`);
  for (let i = 1; i < nodes.length; i++) lines.push(`  ${nodes[i - 1]!.id} --> ${nodes[i]!.id}`);
  lines.push('```');
  return lines;
}

// ---------------------------------------------------------------------------------------------
// trimming

/** The last line of a trimmed report. */
export function truncationNote(moreLines: number): string {
  return `_report truncated: ${plural(moreLines, 'more line')}; the full report is in the job summary / report file_`;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * Cuts markdown to at most `limit` UTF-8 bytes at a line boundary and says so. Never inside a
 * code fence (a half mermaid diagram does not render: the whole block goes); open `<details>`
 * are closed, and a blank line ends any table before the note.
 */
export function trimMarkdown(md: string, limit: number): string {
  if (utf8(md) <= limit) return md;
  const lines = md.split('\n');
  const total = lines.length - (lines[lines.length - 1] === '' ? 1 : 0);
  const tailOf = (depth: number, dropped: number) => '\n' + '</details>\n\n'.repeat(depth) + truncationNote(dropped) + '\n';
  // Same as utf8(tailOf(...)) without building the string for every line (the note is ASCII).
  const tailBytes = (depth: number, dropped: number) => 2 + depth * '</details>\n\n'.length + truncationNote(dropped).length;

  let best = { kept: 0, depth: 0 };
  let used = 0;
  let depth = 0;
  let fence: { char: string; length: number } | undefined;
  for (let i = 0; i < total; i++) {
    const line = lines[i]!;
    used += utf8(line) + 1;
    if (used > limit) break;
    const f = FENCE.exec(line);
    if (fence) {
      // A closing fence: the same character, at least as long, nothing after it.
      if (f && f[1]![0] === fence.char && f[1]!.length >= fence.length && line.trim() === f[1]) fence = undefined;
    } else if (f) {
      fence = { char: f[1]![0]!, length: f[1]!.length };
    } else {
      depth += (line.match(/<details[\s>]/g) ?? []).length;
      depth = Math.max(0, depth - (line.match(/<\/details>/g) ?? []).length);
    }
    if (fence) continue; // never cut inside a code block
    if (used + tailBytes(depth, total - (i + 1)) <= limit) best = { kept: i + 1, depth };
  }
  const tail = tailOf(best.depth, total - best.kept);
  if (best.kept === 0 && utf8(tail) > limit) return cutUtf8(truncationNote(total), limit);
  return lines.slice(0, best.kept).join('\n') + (best.kept > 0 ? '\n' : '') + tail;
}

/** A prefix of `s` within `limit` UTF-8 bytes, never splitting a character. */
function cutUtf8(s: string, limit: number): string {
  let out = '';
  for (const ch of s) {
    if (utf8(out + ch) > limit) break;
    out += ch;
  }
  return out;
}
