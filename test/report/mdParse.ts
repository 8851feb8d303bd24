/** Just enough GFM parsing to check what a renderer produced, the way GitHub would split it. */

/** Cells of a table row `| a | b\|c |`: split on pipes that no backslash escapes. */
export function cells(row: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < row.length; i++) {
    const ch = row[i]!;
    if (ch === '\\') {
      cur += ch + (row[i + 1] ?? '');
      i++;
    } else if (ch === '|') {
      out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  out.push(cur);
  return out.slice(1, -1); // outside the leading and trailing pipe
}

/** Tables as runs of consecutive lines starting with `|`, outside code fences. */
export function tables(md: string): string[][] {
  const found: string[][] = [];
  let current: string[] | undefined;
  let inFence = false;
  for (const line of md.split('\n')) {
    if (/^```/.test(line)) inFence = !inFence;
    if (!inFence && line.startsWith('|')) {
      if (!current) found.push((current = []));
      current.push(line);
    } else {
      current = undefined;
    }
  }
  return found;
}

/** The HTML the renderers write themselves; anything else tag-like came from user text. */
export function withoutOwnTags(md: string): string {
  return md.replace(/<\/?(details|summary|code)>|<br>/g, '');
}

export function fenceCount(md: string): number {
  return md.split('\n').filter((l) => /^ {0,3}(```|~~~)/.test(l)).length;
}
