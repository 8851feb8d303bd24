import { inertLegacy } from '../report/text';

/** Output destinations and the colour decision, made once at the edge. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** ANSI colour allowed: stdout is a TTY and NO_COLOR is not set. */
  color: boolean;
  /** stderr is a TTY (progress bars). */
  interactive: boolean;
}

/**
 * The last line of defence for output read as a CI log (`run: modelgate …`): whatever a
 * command prints, no line starts a `::cmd::` and no legacy `##[cmd]` stays raw. Reports are
 * already inert (JSON writes `[` after `##` as \u005b), so this changes only stray user text.
 * Line separators are kept as they are (a redraw's `\r` stays a redraw). One line out: newline-ended.
 */
export function inertLine(t: string): string {
  return inertLegacy(t.endsWith('\n') ? t : t + '\n').replace(/(^|[\r\n])([\s\u0085]*)::/g, '$1$2\\::');
}

export function processIo(env: NodeJS.ProcessEnv = process.env): Io {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return {
    out: (t) => process.stdout.write(inertLine(t)),
    err: (t) => process.stderr.write(inertLine(t)),
    color: Boolean(process.stdout.isTTY) && !noColor && env.TERM !== 'dumb',
    // MODELGATE_STDERR_TTY: the supervising parent's stderr is a terminal (cli/supervise.ts).
    interactive: Boolean(process.stderr.isTTY) || env.MODELGATE_STDERR_TTY === '1',
  };
}
