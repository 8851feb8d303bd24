// Types of trace.mjs for the tests (test/bench) that import it.
export interface Open {
  pid: number;
  path: string;
  directory: boolean;
  ok: boolean;
  error?: string;
}
export function straceAvailable(): boolean;
export function parseStrace(text: string): { opens: Open[]; execs: { pid: number; argv: string[] }[]; unparsed: string[] };
export function summarize(
  trace: { opens: Open[]; execs: { pid: number; argv: string[] }[]; batch: { type: string; spec: string }[]; spawns: { command: string; args: string[] }[] },
  repo: string,
  classify: (path: string, what: 'file' | 'tree') => { kind: string; expected: boolean },
): {
  files_opened: number;
  dirs_listed: number;
  failed_opens: number;
  git_objects_read: number;
  git_objects_stat: number;
  git_trees_read: number;
  git_processes: number;
  by_kind: Record<string, number>;
  unexpected: string[];
  entries: string[];
};
