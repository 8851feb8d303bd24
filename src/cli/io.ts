/** Output destinations and the colour decision, made once at the edge. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** ANSI colour allowed: stdout is a TTY and NO_COLOR is not set. */
  color: boolean;
  /** stderr is a TTY (progress bars). */
  interactive: boolean;
}

export function processIo(env: NodeJS.ProcessEnv = process.env): Io {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return {
    out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
    err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
    color: Boolean(process.stdout.isTTY) && !noColor && env.TERM !== 'dumb',
    // MODELGATE_STDERR_TTY: the supervising parent's stderr is a terminal (cli/supervise.ts).
    interactive: Boolean(process.stderr.isTTY) || env.MODELGATE_STDERR_TTY === '1',
  };
}
