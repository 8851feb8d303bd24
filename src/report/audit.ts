/** `audit` (the transition history) and `audit verify` (what is wrong with the trail). */
import type { AuditRecord } from '../audit/types';
import type { OutputFormat } from './format';
import { escapeMarkdown, mdTable } from './markdown';
import { neutralizeWorkflowCommands, plural, printable, shortHash, table, toJson, transitionLabel, truncate } from './text';

export interface VerifyProblem {
  model: string;
  /** Audit record the problem is in. */
  seq?: number;
  /** Line of the audit log. */
  line?: number;
  /** Commit the problem is about (a rewrite, an unrecorded change). */
  commit?: string;
  message: string;
}

/** Reasons longer than this are cut in the text table (the json keeps them whole). */
const REASON_WIDTH = 40;

/** `2026-11-22T10:00:00.000Z` → `2026-11-22 10:00:00Z`: one glance, still UTC. */
function shortTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(iso);
  return m ? `${m[1]} ${m[2]}Z` : iso;
}

function change(r: AuditRecord): string {
  const { from, to } = transitionLabel(r.from, r.to);
  return r.removed ? `${to} removed` : `${from} → ${to}`;
}

/**
 * The history, oldest first as given. json is one array of the records as stored (a log's own
 * lines are JSON lines already; an array is one document a tool can parse whole).
 */
export function renderAuditHistory(records: AuditRecord[], format: OutputFormat): string {
  if (format === 'json') return toJson(records);
  if (format === 'markdown') return neutralizeWorkflowCommands(historyMarkdown(records));
  if (records.length === 0) return 'no audit records';
  const rows = records.map((r) => [
    shortTime(r.time),
    r.model,
    `v${r.version}`,
    change(r),
    r.actor,
    r.action,
    truncate(r.reason ?? '', REASON_WIDTH),
    shortHash(r.hash),
  ]);
  const header = ['time', 'model', 'version', 'change', 'actor', 'action', 'reason', 'hash'];
  return neutralizeWorkflowCommands(table([header, ...rows.map((row) => row.map(printable))]).join('\n'));
}

function historyMarkdown(records: AuditRecord[]): string {
  if (records.length === 0) return 'No audit records.\n';
  const rows = records.map((r) =>
    [shortTime(r.time), r.model, `v${r.version}`, change(r), r.actor, r.action, truncate(r.reason ?? '', 200), shortHash(r.hash)].map(escapeMarkdown),
  );
  return mdTable(['time', 'model', 'version', 'change', 'actor', 'action', 'reason', 'hash'], rows).join('\n') + '\n';
}

/** Where in the trail a problem is: `record 4 (line 4)`, `line 7`, `commit 1a2b3c4d5e6f`. */
function whereOf(p: VerifyProblem): string {
  const parts: string[] = [];
  if (p.seq !== undefined) parts.push(`record ${p.seq}${p.line !== undefined ? ` (line ${p.line})` : ''}`);
  else if (p.line !== undefined) parts.push(`line ${p.line}`);
  if (p.commit) parts.push(`commit ${shortHash(p.commit)}`);
  return parts.join(', ');
}

export function renderVerifyProblems(problems: VerifyProblem[], format: OutputFormat, totals: { models: number; records: number }): string {
  const scope = `${plural(totals.models, 'model')}, ${plural(totals.records, 'record')}`;
  if (format === 'json') {
    return toJson({ ok: problems.length === 0, models: totals.models, records: totals.records, problems });
  }
  if (format === 'markdown') {
    if (problems.length === 0) return `### ✅ audit verified: ${scope}\n`;
    const rows = problems.map((p) => [escapeMarkdown(p.model), escapeMarkdown(whereOf(p)), escapeMarkdown(p.message)]);
    const md = [`### ❌ audit verify: ${plural(problems.length, 'problem')} in ${scope}`, '', ...mdTable(['model', 'where', 'problem'], rows)];
    return neutralizeWorkflowCommands(md.join('\n') + '\n');
  }
  if (problems.length === 0) return `✓ audit verified: ${scope}`;
  const lines = problems.map((p) => {
    const where = whereOf(p);
    return `✗ ${printable(p.model)}${where ? ` ${where}` : ''}: ${printable(p.message)}`;
  });
  lines.push(`✗ ${plural(problems.length, 'problem')} in ${scope}`);
  return neutralizeWorkflowCommands(lines.join('\n'));
}
