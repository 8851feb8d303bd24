/**
 * The folders of src/ form layers: no import cycle between two top-level folders (a cycle makes
 * two folders one concept in two places). Imports are read from the source as text (static
 * `import … from`, `export … from` and dynamic `import('…')`), type-only ones included.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The top-level folder of a file under src/ ('' for files directly in src/). */
function folderOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  return parts.length > 1 ? parts[0]! : '';
}

/** folder -> folders it imports from, each with one file that does it (for the message). */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  const spec = /(?:from\s+|import\s*\(\s*)'(\.{1,2}\/[^']+)'/g;
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file);
    for (const m of readFileSync(file, 'utf8').matchAll(spec)) {
      const to = folderOf(resolve(dirname(file), m[1]!));
      if (!from || !to || to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, relative(SRC, file));
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Every pair of folders that import each other, directly or through others. */
function cycles(graph: Map<string, Map<string, string>>): string[] {
  const reach = (start: string): Set<string> => {
    const seen = new Set<string>();
    const todo = [...(graph.get(start)?.keys() ?? [])];
    while (todo.length) {
      const n = todo.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      todo.push(...(graph.get(n)?.keys() ?? []));
    }
    return seen;
  };
  const found: string[] = [];
  const folders = [...graph.keys()].sort();
  for (const a of folders) for (const b of reach(a)) if (a < b && reach(b).has(a)) found.push(`${a} <-> ${b}`);
  return found;
}

describe('the folders of src/', () => {
  it('have no import cycle between them', () => {
    // The judged results' types live in policy/ (policy judges transitions, never the other way
    // round); the mlflow-artifacts:/ tree lives in artifacts/ (artifacts uses mlflow's client).
    expect(cycles(folderGraph())).toEqual([]);
  });

  it('the check finds a cycle when there is one', () => {
    const g = new Map([
      ['a', new Map([['b', 'a/x.ts']])],
      ['b', new Map([['c', 'b/y.ts']])],
      ['c', new Map([['a', 'c/z.ts']])],
    ]);
    expect(cycles(g)).toEqual(['a <-> b', 'a <-> c', 'b <-> c']);
  });
});

describe('processes', () => {
  it('only src/git/ starts git, and only cli/supervise.ts starts anything else (the watched child of the same bundle)', () => {
    const starters = sourceFiles(SRC)
      .filter((f) => /from 'node:child_process'|require\('child_process'\)|from 'child_process'/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f).split(sep).join('/'))
      .sort();
    expect(starters.filter((f) => !f.startsWith('git/'))).toEqual(['cli/supervise.ts']);
    expect(readFileSync(join(SRC, 'cli/supervise.ts'), 'utf8')).toMatch(/spawn\(process\.execPath,/);
  });
});
