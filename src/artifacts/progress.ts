/**
 * Progress of hashing a large artifact. On a terminal one line is redrawn in place (at most
 * ~10×/s); in CI, where redraws turn into thousands of log lines, a line is logged every 5 s.
 * Artifacts hashed in under ~2 s show nothing at all. Driven by the bytes as they arrive (no
 * timers), so it never keeps the process alive; the clock is injectable for tests.
 */

export interface ProgressOptions {
  /** Redraw one line on `tty` instead of logging lines through `onProgress`. */
  interactive: boolean;
  /** Where log lines (and the final summary) go. Without it, nothing is logged. */
  onProgress?: ((text: string) => void) | undefined;
  /** The terminal for redraws (process.stderr in the CLI). */
  tty?: { write(text: string): unknown } | undefined;
  now?: () => number;
}

export const QUIET_MS = 2_000;
export const REDRAW_MS = 100;
export const LOG_EVERY_MS = 5_000;

/** `\r` + erase line: the redraw prefix for terminals. */
const CLEAR_LINE = '\r\x1b[2K';

export class HashProgress {
  private readonly now: () => number;
  private readonly started: number;
  private done = 0;
  private total: number;
  private lastShown: number;
  private shown = false;
  private drawn = false;

  constructor(
    private readonly label: string,
    totalBytes: number,
    private readonly opts: ProgressOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.started = this.now();
    this.total = totalBytes;
    this.lastShown = this.started;
  }

  /** Bytes hashed. */
  add(bytes: number): void {
    this.done += bytes;
    this.maybeShow();
  }

  /** Bytes that need no hashing (S3 stored a full-object checksum): out of the total. */
  skip(bytes: number): void {
    this.total = Math.max(0, this.total - bytes);
  }

  /** Clears the redrawn line; logs a summary if anything was shown and hashing completed. */
  finish(completed = true): void {
    if (this.drawn) this.opts.tty?.write(CLEAR_LINE);
    if (this.shown && completed) {
      const secs = (this.now() - this.started) / 1000;
      this.opts.onProgress?.(`hashed ${this.label} ${formatBytes(this.done)} in ${formatDuration(secs)} (${formatBytes(this.done / Math.max(secs, 0.001))}/s)`);
    }
  }

  private maybeShow(): void {
    const t = this.now();
    if (t - this.started < QUIET_MS) return;
    const every = this.opts.interactive ? REDRAW_MS : LOG_EVERY_MS;
    if (this.shown && t - this.lastShown < every) return;
    if (!this.shown && !this.opts.interactive && t - this.started < LOG_EVERY_MS) return;
    const line = progressLine(this.label, this.done, this.total, t - this.started);
    if (this.opts.interactive && this.opts.tty) {
      this.opts.tty.write(CLEAR_LINE + line);
      this.drawn = true;
    } else if (!this.opts.interactive && this.opts.onProgress) {
      this.opts.onProgress(line);
    } else {
      return;
    }
    this.shown = true;
    this.lastShown = t;
  }
}

/** `hashing s3://b/k 312 MB / 1.2 GB · 180 MB/s · ETA 5s` */
export function progressLine(label: string, done: number, total: number, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? done / (elapsedMs / 1000) : 0;
  const eta = rate > 0 && total > done ? ` · ETA ${formatDuration((total - done) / rate)}` : '';
  return `hashing ${label} ${formatBytes(done)} / ${formatBytes(total)} · ${formatBytes(rate)}/s${eta}`;
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** Decimal units, as disks and S3 consoles show sizes: `999 B`, `1.5 kB`, `312 MB`, `1.2 GB`. */
export function formatBytes(n: number): string {
  let v = Math.max(0, n);
  let i = 0;
  while (v >= 1000 && i < UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  const digits = i === 0 || v >= 100 ? 0 : 1;
  let text = v.toFixed(digits);
  // 999.96 kB rounds to "1000.0": show the next unit instead.
  if (Number(text) >= 1000 && i < UNITS.length - 1) {
    v /= 1000;
    i++;
    text = v.toFixed(1);
  }
  return `${text.replace(/\.0$/, '')} ${UNITS[i]}`;
}

/** `5s`, `2m 05s`, `1h 02m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
