/** `status`: what each model has in which stage, its aliases and headline metrics. */
import type { Stage } from '../manifest/types';
import type { OutputFormat } from './format';
import { escapeMarkdown, mdTable } from './markdown';
import { formatNumber, neutralizeWorkflowCommands, painter, printable, table, toJson, type Hue } from './text';

export interface StatusView {
  model: string;
  file: string;
  owner?: string;
  riskTier?: string;
  versions: { version: number; stage: Stage; run: string; aliases: string[]; runId?: string; metrics?: Record<string, number> }[];
  aliases: Record<string, number>;
}

type VersionView = StatusView['versions'][number];

/** Archived versions listed before the rest collapse into "… and N more archived". */
export const ARCHIVED_SHOWN = 3;

const STAGE_ORDER: Record<Stage, number> = { Production: 0, Staging: 1, None: 2, Archived: 3 };
const STAGE_HUE: Record<Stage, Hue> = { Production: 'green', Staging: 'yellow', None: 'cyan', Archived: 'dim' };

/**
 * Production first, then Staging, None, Archived, newest first within each; archived versions
 * beyond the newest few are counted, not listed (an alias keeps its version listed).
 */
export function orderVersions(versions: VersionView[]): { shown: VersionView[]; hiddenArchived: number } {
  const sorted = [...versions].sort((a, b) => STAGE_ORDER[a.stage] - STAGE_ORDER[b.stage] || b.version - a.version);
  let archived = 0;
  const shown = sorted.filter((v) => v.stage !== 'Archived' || v.aliases.length > 0 || ++archived <= ARCHIVED_SHOWN);
  return { shown, hiddenArchived: versions.length - shown.length };
}

export function renderStatus(views: StatusView[], format: OutputFormat, opts: { color: boolean }): string {
  if (format === 'json') return toJson(views);
  if (format === 'markdown') return neutralizeWorkflowCommands(statusMarkdown(views));
  return neutralizeWorkflowCommands(statusText(views, opts.color));
}

function metricsText(m: Record<string, number> | undefined): string {
  if (!m) return '';
  return Object.entries(m)
    .map(([k, v]) => `${k}=${formatNumber(v)}`)
    .join('  ');
}

function metaOf(v: StatusView): string[] {
  return [v.owner ? `owner ${v.owner}` : '', v.riskTier ? `risk ${v.riskTier}` : ''].filter(Boolean);
}

function statusText(views: StatusView[], color: boolean): string {
  if (views.length === 0) return 'no models in the registry';
  const paint = painter(color);
  const blocks = views.map((view) => {
    const meta = metaOf(view);
    const head = `${paint('bold', printable(view.model))}${meta.length ? `  (${printable(meta.join(', '))})` : ''}  ${paint('dim', printable(view.file))}`;
    const { shown, hiddenArchived } = orderVersions(view.versions);
    if (view.versions.length === 0) return [head, '  no versions registered'].join('\n');
    const rows = shown.map((v) => [
      `v${v.version}`,
      paint(STAGE_HUE[v.stage], v.stage),
      printable(v.aliases.map((a) => `@${a}`).join(' ')),
      printable(v.run),
      printable(metricsText(v.metrics)),
    ]);
    const lines = [head, ...table([['version', 'stage', 'aliases', 'run', 'metrics'].map((h) => paint('dim', h)), ...rows], { indent: '  ' })];
    if (hiddenArchived > 0) lines.push(paint('dim', `  … and ${hiddenArchived} more archived`));
    return lines.join('\n');
  });
  return blocks.join('\n\n');
}

function statusMarkdown(views: StatusView[]): string {
  if (views.length === 0) return 'No models in the registry.\n';
  const out: string[] = [];
  for (const view of views) {
    if (out.length > 0) out.push('');
    out.push(`### ${escapeMarkdown(view.model)}`, '');
    const meta = metaOf(view);
    out.push(escapeMarkdown([view.file, ...meta].join(' · ')), '');
    if (view.versions.length === 0) {
      out.push('No versions registered.');
      continue;
    }
    const { shown, hiddenArchived } = orderVersions(view.versions);
    out.push(
      ...mdTable(
        ['version', 'stage', 'aliases', 'run', 'metrics'],
        shown.map((v) => [
          `v${v.version}`,
          v.stage,
          escapeMarkdown(v.aliases.map((a) => `@${a}`).join(' ')),
          escapeMarkdown(v.run),
          escapeMarkdown(metricsText(v.metrics)),
        ]),
      ),
    );
    if (hiddenArchived > 0) out.push('', `… and ${hiddenArchived} more archived`);
  }
  return out.join('\n') + '\n';
}
