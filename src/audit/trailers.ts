/**
 * Commit messages of the commits modelgate makes (SPEC section 7): a subject naming the main
 * transition, the reason, and one block of git trailers per audit record, so `git log` alone
 * links every commit to its records.
 *
 * The trailer block is always the last paragraph, and git reads trailers only from the last
 * paragraph, so the reason (a paragraph before it) can never add or alter trailers. The one
 * other way git can be misled is a `---` line, which `git interpret-trailers` takes as the
 * start of a patch: such lines in the reason are indented by one space.
 */
import type { AuditRecord } from './types';

export interface CommitTrailers {
  model: string;
  version: number;
  transition: string;
  audit: string;
}

const KEYS = {
  model: 'Modelgate-Model',
  version: 'Modelgate-Version',
  transition: 'Modelgate-Transition',
  audit: 'Modelgate-Audit',
} as const;

/** `Staging -> Production`, `new -> None` (a registration), `@champion v2 -> v3`, `@champion v3 -> (removed)`. */
export function transitionText(r: AuditRecord): string {
  if (r.to.startsWith('@')) {
    if (r.removed) return `${r.to} v${r.version} -> (removed)`;
    return `${r.to} ${r.displaced !== undefined ? `v${r.displaced} ` : ''}-> v${r.version}`;
  }
  return `${r.from ?? 'new'} -> ${r.to}`;
}

export function commitMessage(records: AuditRecord[], reason?: string): string {
  if (records.length === 0) throw new Error('commitMessage: no records to describe');
  const paragraphs = [subjectOf(records)];
  const body = reason === undefined ? '' : reasonParagraph(reason);
  if (body) paragraphs.push(body);
  paragraphs.push(records.map(trailerBlock).join('\n'));
  return paragraphs.join('\n\n') + '\n';
}

function subjectOf(records: AuditRecord[]): string {
  const main = records.filter((r) => !isDisplacedArchive(r, records) && !isFollowingAlias(r, records));
  const following = records.filter((r) => isFollowingAlias(r, records)).map((r) => r.to);
  if (main.length === 1) return oneLine(`modelgate: ${describe(main[0]!)}${following.length ? `, ${following.join(', ')} with it` : ''}`);
  const models = [...new Set(records.map((r) => r.model))];
  return oneLine(`modelgate: record ${records.length} transitions${models.length === 1 ? ` of ${models[0]}` : ''}`);
}

/** A version archived because another took its stage: the other record is the news. */
function isDisplacedArchive(r: AuditRecord, all: AuditRecord[]): boolean {
  return r.to === 'Archived' && all.some((o) => o !== r && !o.to.startsWith('@') && o.displaced === r.version && o.model === r.model);
}

/** An alias moved onto a version whose stage change is in the same decision (`promote --alias`, rollback). */
function isFollowingAlias(r: AuditRecord, all: AuditRecord[]): boolean {
  return r.to.startsWith('@') && all.some((o) => o !== r && !o.to.startsWith('@') && o.to !== 'Archived' && o.version === r.version && o.model === r.model);
}

function describe(r: AuditRecord): string {
  if (r.to.startsWith('@')) return `${r.action} ${r.model} ${transitionText(r)}`;
  return `${r.action} ${r.model} v${r.version} ${transitionText(r)}`;
}

function trailerBlock(r: AuditRecord): string {
  return [
    `${KEYS.model}: ${oneLine(r.model)}`,
    `${KEYS.version}: ${r.version}`,
    `${KEYS.transition}: ${oneLine(transitionText(r))}`,
    `${KEYS.audit}: ${oneLine(r.hash)}`,
  ].join('\n');
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** The reason as body text: line endings normalized, surrounding blank lines dropped, `---` lines defused. */
function reasonParagraph(reason: string): string {
  return reason
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .map((line) => (/^---(\s|$)/.test(line) ? ' ' + line : line))
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

/**
 * The Modelgate trailers of a commit message, one entry per record, read the way git reads
 * trailers: from the last paragraph only, and only when every line of it is a trailer (or a
 * folded continuation). Incomplete groups are left out.
 */
export function parseTrailers(message: string): CommitTrailers[] {
  const paragraphs = message
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.replace(/^\n+|\s+$/g, ''))
    .filter((p) => p !== '');
  if (paragraphs.length < 2) return []; // the subject alone is never a trailer block
  const fields = trailerFields(paragraphs[paragraphs.length - 1]!);
  if (!fields) return [];

  const out: CommitTrailers[] = [];
  let group: Partial<Record<keyof typeof KEYS, string>> | undefined;
  const flush = () => {
    const version = Number(group?.version);
    if (group?.model && group.transition && group.audit && Number.isSafeInteger(version) && version > 0) {
      out.push({ model: group.model, version, transition: group.transition, audit: group.audit });
    }
  };
  for (const [key, value] of fields) {
    const field = (Object.keys(KEYS) as (keyof typeof KEYS)[]).find((k) => KEYS[k].toLowerCase() === key.toLowerCase());
    if (!field) continue;
    if (field === 'model') {
      flush();
      group = {};
    }
    if (group) group[field] = value;
  }
  flush();
  return out;
}

/** `[key, value]` pairs of a trailer paragraph, or undefined when it is not one. */
function trailerFields(paragraph: string): [string, string][] | undefined {
  const fields: [string, string][] = [];
  for (const line of paragraph.split('\n')) {
    const last = fields[fields.length - 1];
    if (/^[ \t]/.test(line) && last) {
      last[1] = `${last[1]} ${line.trim()}`; // folded continuation line
      continue;
    }
    const m = /^([A-Za-z0-9][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$/.exec(line);
    if (!m) return undefined;
    fields.push([m[1]!, m[2]!.trim()]);
  }
  return fields;
}
