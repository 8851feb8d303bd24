/**
 * `sync mlflow`: what differs between git and the MLflow Model Registry, and what was written.
 * JSON is stable (`schemaVersion` bumps on a breaking change; documented in the README).
 */
import type { OutputFormat } from './format';
import { escapeMarkdown } from './markdown';
import { neutralizeWorkflowCommands, painter, plural, printable, toJson } from './text';

/** Where one difference stands: listed by a dry run, written, or left when the sync stopped. */
export type ActionStatus = 'pending' | 'done' | 'not-done';

export interface SyncActionView {
  /** create-model, delete-alias, create-version, set-tag, delete-tag, set-stage or set-alias. */
  kind: string;
  status: ActionStatus;
  description: string;
  alias?: string;
  version?: number;
  mlflowVersion?: string;
  key?: string;
  value?: string;
  stage?: string;
  was?: string;
}

export interface SyncModelOutcome {
  model: string;
  registeredModel: string;
  actions: SyncActionView[];
  notes: string[];
}

/** One outcome shape for every format (report/sync.ts renders it). */
export interface SyncOutcome {
  trackingUri: string;
  dryRun: boolean;
  models: SyncModelOutcome[];
  /** Set when the server failed part-way: what stopped the sync (exit 3). */
  error?: string;
}

export interface SyncSummary {
  differences: number;
  done: number;
  notDone: number;
}

export function syncSummary(o: SyncOutcome): SyncSummary {
  const all = o.models.flatMap((m) => m.actions);
  return { differences: all.length, done: all.filter((a) => a.status === 'done').length, notDone: all.filter((a) => a.status === 'not-done').length };
}

export function renderSync(o: SyncOutcome, format: OutputFormat, opts: { color: boolean }): string {
  if (format === 'json') return syncJson(o);
  if (format === 'markdown') return neutralizeWorkflowCommands(syncMarkdown(o));
  return neutralizeWorkflowCommands(syncText(o, opts.color));
}

function syncJson(o: SyncOutcome): string {
  const summary = syncSummary(o);
  return toJson({
    schemaVersion: 1,
    trackingUri: o.trackingUri,
    dryRun: o.dryRun,
    // Dry run: nothing differs. Sync: every difference was written.
    inSync: o.dryRun ? summary.differences === 0 : summary.notDone === 0 && o.error === undefined,
    summary,
    models: o.models.map((m) => ({ model: m.model, registeredModel: m.registeredModel, actions: m.actions, notes: m.notes })),
    error: o.error ?? null,
  });
}

/** The last line: what the run amounts to. */
function verdict(o: SyncOutcome): string {
  const s = syncSummary(o);
  if (o.dryRun) return s.differences === 0 ? 'dry run: MLflow matches git; nothing to write' : `dry run: ${plural(s.differences, 'difference')}; nothing was written`;
  if (o.error !== undefined) return `stopped part-way: ${s.done} done, ${s.notDone} not done; re-run sync to complete it`;
  return s.differences === 0 ? 'MLflow already matches git: nothing written' : `synced: ${plural(s.done, 'write')}; MLflow matches git`;
}

const MARK: Record<string, string> = { pending: 'differs', done: 'done', 'not-done': 'not done' };

function syncText(o: SyncOutcome, color: boolean): string {
  const paint = painter(color);
  const lines: string[] = [];
  for (const m of o.models) {
    const named = m.registeredModel === m.model ? '' : ` (MLflow: ${printable(m.registeredModel)})`;
    lines.push(`${paint('bold', printable(m.model))}${named}`);
    if (m.actions.length === 0 && m.notes.length === 0) lines.push(paint('dim', '  in step with git'));
    for (const a of m.actions) {
      const hue = a.status === 'done' ? 'green' : a.status === 'not-done' ? 'red' : 'yellow';
      lines.push(`  ${paint(hue, MARK[a.status]!.padEnd(8))} ${printable(a.description)}`);
    }
    for (const n of m.notes) lines.push(`  ${paint('dim', 'note'.padEnd(8))} ${printable(n)}`);
  }
  if (o.models.length === 0) lines.push('no models in the registry');
  lines.push(verdict(o));
  return lines.join('\n');
}

function syncMarkdown(o: SyncOutcome): string {
  const out: string[] = [`### modelgate sync mlflow${o.dryRun ? ' (dry run)' : ''}`, ''];
  for (const m of o.models) {
    const named = m.registeredModel === m.model ? '' : ` (MLflow: ${escapeMarkdown(m.registeredModel)})`;
    out.push(`**${escapeMarkdown(m.model)}**${named}`, '');
    if (m.actions.length === 0 && m.notes.length === 0) out.push('- in step with git');
    for (const a of m.actions) out.push(`- ${MARK[a.status]}: ${escapeMarkdown(a.description)}`);
    for (const n of m.notes) out.push(`- note: ${escapeMarkdown(n)}`);
    out.push('');
  }
  out.push(escapeMarkdown(verdict(o)), '');
  return out.join('\n');
}
