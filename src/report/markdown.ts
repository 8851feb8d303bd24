/**
 * Markdown that is safe to fill with user text (model names, messages, tag values, reasons,
 * paths). Reports land in PR comments and job summaries, where text is rendered and mentions
 * notify people, and they are echoed to CI logs, where `::` lines are commands. Everything a
 * user wrote goes through `escapeMarkdown` (or `escapeMermaid` inside a diagram); only the
 * renderer's own markup is raw.
 */
import { printable } from './text';

const LINE_BREAKS = /\r\n|[\n\r\u0085\u2028\u2029]/g;

/**
 * Inline text for a paragraph, heading or table cell: one line, no active markdown, HTML,
 * mention, autolink, math or table delimiter (and no legacy `##[` command: `#` and `[` are
 * backslash-escaped).
 */
export function escapeMarkdown(text: string): string {
  return (
    printable(text.replace(LINE_BREAKS, ' '))
      // Markdown punctuation that acts mid-line; a backslash makes each a literal character.
      .replace(/[\\`*_[\]|~#]/g, '\\$&')
      // GitHub's issue references (`#123`, `owner/repo#123`, `GH-123`) link and post a
      // "mentioned this" event on that issue; a joiner between marker and number stops it
      // (done before the entities below, whose `&#36;` must stay whole).
      .replace(/#(?=\d)/g, '#\u200d')
      .replace(/\b(GH-)(?=\d)/gi, '$1\u200d')
      // HTML: entities render as the characters, never as tags.
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // `$…$` is math on GitHub; an entity is not a delimiter.
      .replace(/\$/g, '&#36;')
      // A zero-width joiner after `@` stops @user and @org/team mentions (no notification),
      // and email autolinks (GFM wants a domain character right after the `@`).
      .replace(/@/g, '@\u200d')
      // GFM's extended autolinks: `scheme://…` is recognised at the `:` followed by `//`, and
      // `www.` at the start of a word; a zero-width joiner inside each leaves the text as it
      // reads but not clickable (`https://evil.example`, a model named `www.evil.example`).
      .replace(/:(?=\/\/)/g, ':\u200d')
      .replace(/(www)(?=\.)/gi, '$1\u200d')
      // `mailto:`/`xmpp:` extended autolinks need an address after the colon.
      .replace(/((?:mailto|xmpp):)/gi, '$1\u200d')
      // Constructs that act only at the start of a line (lists, setext underline, `::` commands).
      .replace(/^(\s*)([-+=:]|\d+(?=[.)]))/, (_m, space: string, lead: string) => (/\d/.test(lead) ? `${space}${lead}\\` : `${space}\\${lead}`))
  );
}

/** Characters left as they are inside a quoted mermaid label; everything else becomes `#code;`. */
const MERMAID_SAFE = /[A-Za-z0-9 ._\-/:,+=]/;

/**
 * Text for a quoted mermaid node label (`id["…"]`). Mermaid turns `#<decimal>;` into an HTML
 * character reference in its output, so quotes, brackets, `<`, backticks and the like stay text
 * and cannot end the label, the diagram or the code fence.
 */
export function escapeMermaid(text: string): string {
  let out = '';
  for (const ch of text.replace(LINE_BREAKS, ' ')) {
    out += MERMAID_SAFE.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  }
  return out;
}

/** A GFM table; cells must already be escaped (they are joined as they are). */
export function mdTable(header: string[], rows: string[][], align?: ('left' | 'right')[]): string[] {
  const line = (cells: string[]) => `| ${cells.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`;
  const rule = header.map((_h, i) => (align?.[i] === 'right' ? '---:' : '---'));
  return [line(header), `|${rule.join('|')}|`, ...rows.map((r) => line(r))];
}

/** A collapsible section; the blank lines let GitHub render the markdown inside the HTML block. */
export function mdDetails(summary: string, body: string[]): string[] {
  return [`<details><summary>${summary}</summary>`, '', ...body, '', '</details>'];
}
