/**
 * Helpers for the plain-text reports: colour that can be switched off, user text made safe for a
 * terminal or a CI log, and column alignment.
 */
import { stripVTControlCharacters } from 'node:util';

export type Hue = 'red' | 'green' | 'yellow' | 'cyan' | 'dim' | 'bold';

/** SGR codes; hand-written because five codes do not warrant a dependency. */
const SGR: Record<Hue, [number, number]> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
};

export type Paint = (hue: Hue, text: string) => string;

/** Colour only when the caller says the output is a terminal that wants it. */
export function painter(color: boolean): Paint {
  if (!color) return (_hue, text) => text;
  return (hue, text) => (text === '' ? text : `\u001b[${SGR[hue][0]}m${text}\u001b[${SGR[hue][1]}m`);
}

/**
 * Characters that would act on a terminal or hide what a line says: C0/C1 controls (ANSI
 * escapes, newlines that forge extra lines), line/paragraph separators and the bidi overrides
 * of "Trojan Source". Other format characters (the zero-width joiner inside emoji) are kept.
 */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One code unit as `\xNN` or `\uNNNN`. */
function escapeCodeUnit(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** User text shown in a terminal or log: non-printable characters appear escaped, never act. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escapeCodeUnit);
}

/** Shortens to at most `max` characters (code points), marking the cut with `…`. */
export function truncate(text: string, max: number): string {
  const points = [...text];
  if (points.length <= max) return text;
  return points.slice(0, Math.max(0, max - 1)).join('') + '…';
}

/** Columns a string takes in a terminal: ANSI codes take none, combining marks none, wide characters two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of stripVTControlCharacters(text)) {
    if (/\p{M}|\u200d|[\ufe00-\ufe0f]/u.test(ch)) continue;
    width += isWide(ch) ? 2 : 1;
  }
  return width;
}

function isWide(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  return (
    (cp >= 0x1f000 && /\p{Extended_Pictographic}/u.test(ch)) ||
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

export interface TableOptions {
  /** Prefix of every line. */
  indent?: string;
  /** Per column; default left. */
  align?: ('left' | 'right')[];
  /** Between columns; default two spaces. */
  gap?: string;
}

/**
 * Aligns rows into columns. Cells may hold colour codes (they do not count toward width); the
 * last column is not padded, so lines carry no trailing blanks.
 */
export function table(rows: string[][], opts: TableOptions = {}): string[] {
  const indent = opts.indent ?? '';
  const gap = opts.gap ?? '  ';
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell))));
  return rows.map((row) => {
    // Empty trailing cells would only add padding.
    let last = row.length - 1;
    while (last > 0 && row[last] === '') last--;
    const cells = row.slice(0, last + 1).map((cell, i) => {
      const pad = ' '.repeat((widths[i] ?? 0) - displayWidth(cell));
      if (opts.align?.[i] === 'right') return pad + cell;
      return i === last ? cell : cell + pad;
    });
    return indent + cells.join(gap);
  });
}

/** `1 transition`, `2 transitions`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Numbers as a person reads them: shortest exact form, NaN and ±Infinity spelled out. */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  return String(n);
}

/**
 * Text a CI runner reads as a log can never hold a workflow command from user text. The runner
 * reads line by line (a line ends at \n, \r or \r\n), obeys `::cmd::` at the start of a line
 * after any whitespace (.NET TrimStart: Unicode white space, incl. U+0085), and the legacy
 * `##[cmd]` anywhere in a line. Every text and markdown output, and the Action's log lines,
 * pass through here.
 */
export function neutralizeWorkflowCommands(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => inertLegacy(line).replace(COMMAND_AT_START, '$1\\::'))
    .join('\n');
}

const COMMAND_AT_START = /^([\s\u0085]*)::/;

/** Breaks the legacy `##[cmd]` form (also inside annotation data, which is user text). */
export function inertLegacy(text: string): string {
  return text.replace(/##\[/g, '##\\[');
}

/** Versions and stages as the reports show them. */
export function transitionLabel(from: string | null, to: string | null): { from: string; to: string } {
  return { from: from ?? 'new', to: to ?? 'removed' };
}

/**
 * Characters JSON.stringify leaves raw that a terminal or a log viewer would act on (C1 controls,
 * line and paragraph separators, bidi overrides). In JSON they can only be inside strings, so
 * writing them as `\uXXXX` changes no value.
 */
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON that can hold every value a report carries: NaN/±Infinity become their names, bigints
 * strings; one line, safe to print to a terminal or a CI log whatever the strings hold.
 */
export function toJson(value: unknown): string {
  const text = JSON.stringify(value, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? formatNumber(x) : typeof x === 'bigint' ? String(x) : x));
  // `#` only occurs inside JSON strings, so `##[` is always inside one: `\u005b` is the same
  // `[` to any JSON parser (values unchanged) but no longer the runner's legacy command.
  return text.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(/##\[/g, '##\\u005b');
}

/** A hash or commit as a short prefix (`sha256:` dropped). */
export function shortHash(h: string | undefined, length = 12): string {
  if (!h) return '';
  return h.replace(/^sha256:/, '').slice(0, length);
}
