/** What `import mlflow` did, as text, markdown or JSON (stable keys). */
import type { Stage } from '../manifest/types';
import type { OutputFormat } from './format';
import { escapeMarkdown, mdTable } from './markdown';
import { printable, table, toJson } from './text';

export interface ImportedEntry {
  version: number;
  stage: Stage;
  run: string;
  artifact?: string;
  digest?: string;
  evidence?: string;
}

export interface ImportOutcome {
  model: string;
  registeredModel: string;
  /** The tracking server's URI (no credentials), or the file store's directory. */
  source: string;
  file: string;
  versions: ImportedEntry[];
  aliases: Record<string, number>;
  notes: string[];
  written: boolean;
  /** Snapshot files written with the manifest (server imports). */
  snapshots: string[];
  commit?: string;
  /** Versions whose `modelgate.version` tag this run set on the server. */
  tagged: number[];
  /** A re-run that found its own committed import and only completed the tags. */
  resumed?: boolean;
}


export function renderImport(o: ImportOutcome, format: OutputFormat, opts: { dryRun: boolean }): string {
  if (format === 'json') {
    return toJson({
      model: o.model,
      registeredModel: o.registeredModel,
      source: o.source,
      file: o.file,
      versions: o.versions,
      aliases: o.aliases,
      notes: o.notes,
      written: o.written,
      snapshots: o.snapshots,
      commit: o.commit ?? null,
      tagged: o.tagged,
      resumed: o.resumed === true,
    });
  }
  const aliases = Object.entries(o.aliases).map(([a, v]) => `@${a} -> v${v}`);
  const outcome = o.resumed
    ? `already imported and committed: ${o.tagged.length ? `set the modelgate.version tag on ${o.tagged.map((v) => `v${v}`).join(', ')}` : 'every version carries its modelgate.version tag; nothing to do'}`
    : o.written
      ? `written: ${[o.file, ...o.snapshots].join(', ')}${o.commit ? ` (commit ${o.commit.slice(0, 12)})` : ''}${o.tagged.length ? `; tagged modelgate.version on ${o.tagged.map((v) => `v${v}`).join(', ')}` : ''}`
      : opts.dryRun
        ? 'dry run: nothing was written'
        : 'nothing was written';
  if (format === 'markdown') {
    const lines = [`### modelgate: import ${escapeMarkdown(o.model)} from MLflow registered model ${escapeMarkdown(o.registeredModel)}`, ''];
    if (o.versions.length) lines.push(...mdTable(['version', 'stage', 'run'], o.versions.map((v) => [`v${v.version}`, v.stage, escapeMarkdown(v.run)])), '');
    if (aliases.length) lines.push(`Aliases: ${escapeMarkdown(aliases.join(', '))}`, '');
    for (const n of o.notes) lines.push(`- ${escapeMarkdown(n)}`);
    if (o.notes.length) lines.push('');
    lines.push(escapeMarkdown(outcome));
    return lines.join('\n');
  }
  const head = `import ${printable(o.model)} from MLflow registered model '${printable(o.registeredModel)}' (${printable(o.source)}): ${o.versions.length} version${o.versions.length === 1 ? '' : 's'}`;
  const rows = table(o.versions.map((v) => [`v${v.version}`, v.stage, printable(v.run)])).map((l) => `  ${l}`);
  return [head, ...rows, ...(aliases.length ? [`  aliases: ${printable(aliases.join(', '))}`] : []), ...o.notes.map((n) => `note: ${printable(n)}`), outcome].join('\n');
}
