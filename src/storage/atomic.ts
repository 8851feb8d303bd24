/**
 * Atomic file writes: write a temp file beside the target, fsync, rename. A crash at any point
 * leaves either the old file or the new one, never a half-written file.
 *
 * Temp files are named `.<file>.<pid>.<random>.tmp` (hidden, and no reader of the registry
 * lists them: they end in `.tmp`). A process killed before its rename leaves one behind; the
 * next write beside it removes those whose process is gone.
 *
 * Each write can be taken back (`Written.undo`, which needs no free space), so a command that
 * changes several files takes back the ones already written when a later step fails (a full
 * disk, a refused commit): all of its files land, or none.
 *
 * Test hooks (read once at start-up; for the crash and fault tests only, never set them
 * otherwise):
 * - `MODELGATE_TEST_CRASH_AFTER_WRITES=N`: SIGKILL right after the Nth file landed;
 * - `MODELGATE_TEST_FAIL_WRITE=N`: the Nth write fails as a full disk would (ENOSPC), after
 *   its temp file was created;
 * - `MODELGATE_TEST_CRASH_AT=<label>`: SIGKILL when a command reaches `crashPoint(label)`:
 *   `before-write` (judged, nothing written), `staged:N` (the Nth write's temp file written and
 *   synced, not renamed), `before-commit` (files written, no commit yet), `before-push`
 *   (committed, not pushed), `push-rejected` (a rejected push, our commit just dropped).
 */
import { promises as fs, rmSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { EnvironmentError } from '../errors';

const crashAfter = process.env.MODELGATE_TEST_CRASH_AFTER_WRITES;
const failWrite = process.env.MODELGATE_TEST_FAIL_WRITE;
const crashAt = process.env.MODELGATE_TEST_CRASH_AT;
let landed = 0;
let started = 0;

/** A write that landed, and can still be taken back. */
export interface Written {
  /** Puts back what the file held before (or removes a file the write created); needs no free space where the file system has hard links. */
  undo(): Promise<void>;
  /** The write stays: drops what `undo` would have needed. */
  keep(): Promise<void>;
}

/** A temp file of an atomic write (`.<file>.<pid>.<random>.tmp`), by its path. */
export function isTempFile(path: string): boolean {
  return /(^|\/)\.[^/]+\.\d+\.[0-9a-f]{8}\.tmp$/.test(path);
}

/** Test hook: SIGKILL here when MODELGATE_TEST_CRASH_AT names this point (see the file comment). */
export function crashPoint(label: string): void {
  if (crashAt === label) process.kill(process.pid, 'SIGKILL');
}

/** Backups not yet kept or undone; removed when the process exits, whatever the path out. */
const pendingBackups = new Set<string>();
process.once('exit', () => {
  for (const b of pendingBackups) rmSync(b, { force: true });
});

/**
 * Replaces a file's content atomically. Until `keep()`, the previous content stays reachable
 * through a hard link under a temp name, so `undo()` is a rename: it works on a full disk. (On a
 * file system without hard links the previous bytes are held in memory instead.)
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<Written> {
  const backup = tempName(path);
  const previous = await preserve(path, backup);
  if (previous === 'linked') pendingBackups.add(backup);
  const drop = async () => {
    pendingBackups.delete(backup);
    if (previous === 'linked') await fs.rm(backup, { force: true });
  };
  try {
    await replaceVia(path, (tmp) => writeSynced(tmp, 'wx', data));
  } catch (err) {
    await drop().catch(() => undefined);
    throw err;
  }
  return {
    undo: async () => {
      try {
        if (previous === 'linked') await fs.rename(backup, path);
        else if (previous === 'absent') await fs.rm(path, { force: true });
        else await replaceVia(path, (tmp) => writeSynced(tmp, 'wx', previous));
        pendingBackups.delete(backup);
      } catch (err) {
        throw undoError(path, err);
      }
    },
    keep: drop,
  };
}

/** Keeps the current content of `path` for an undo: a hard link at `backup`, else its bytes. */
async function preserve(path: string, backup: string): Promise<'linked' | 'absent' | Buffer> {
  try {
    await fs.link(path, backup);
    return 'linked';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    try {
      return await fs.readFile(path);
    } catch (readErr) {
      if ((readErr as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
      throw writeError(path, readErr);
    }
  }
}

/**
 * Appends text to a file atomically: copies the file to a temp (a kernel copy, cheap even for
 * large logs), appends, fsyncs and renames. Readers never see a torn last line. `undo()` cuts
 * the file back to its old length (no free space needed).
 */
export async function appendFileAtomic(path: string, text: string): Promise<Written> {
  let sizeBefore: number | undefined;
  await replaceVia(path, async (tmp) => {
    try {
      await fs.copyFile(path, tmp);
      sizeBefore = (await fs.stat(tmp)).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    await writeSynced(tmp, 'a', text);
  });
  return {
    undo: async () => {
      try {
        if (sizeBefore === undefined) await fs.rm(path, { force: true });
        else await fs.truncate(path, sizeBefore);
      } catch (err) {
        throw undoError(path, err);
      }
    },
    keep: async () => undefined,
  };
}

function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** A temp file beside `path`, filled (and fsynced) by `fill`, renamed over `path`. */
async function replaceVia(path: string, fill: (tmp: string) => Promise<void>): Promise<void> {
  const dir = dirname(path);
  const tmp = tempName(path);
  const n = ++started;
  try {
    await fs.mkdir(dir, { recursive: true });
    await removeStaleTemps(dir, basename(path));
    await fill(tmp);
    if (failWrite !== undefined && n === Number(failWrite)) throw Object.assign(new Error('no space left on device (test hook)'), { code: 'ENOSPC' });
    crashPoint(`staged:${n}`);
    await fs.rename(tmp, path);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw writeError(path, err);
  }
  landed++;
  if (crashAfter !== undefined && landed >= Number(crashAfter)) process.kill(process.pid, 'SIGKILL');
}

async function writeSynced(file: string, flag: 'wx' | 'a', data: string | Uint8Array): Promise<void> {
  const fh = await fs.open(file, flag);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Removes `.<name>.<pid>.<random>.tmp` files left by processes that no longer run. */
async function removeStaleTemps(dir: string, name: string): Promise<void> {
  const entries = await fs.readdir(dir).catch(() => [] as string[]);
  const prefix = `.${name}.`;
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const m = /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(entry.slice(prefix.length));
    if (!m || isAlive(Number(m[1]))) continue;
    await fs.rm(join(dir, entry), { force: true }).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but is not ours (another user's modelgate): leave its file alone.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function isDiskFull(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

function writeError(path: string, err: unknown): EnvironmentError {
  if (err instanceof EnvironmentError) return err;
  if (isDiskFull(err)) {
    return new EnvironmentError(`the disk is full: could not write ${path} (${(err as NodeJS.ErrnoException).code})`, {
      hint: 'free some disk space, then re-run; nothing was changed',
      cause: err,
    });
  }
  return new EnvironmentError(`could not write ${path}: ${(err as Error).message}`, {
    hint: 'check free disk space and permissions; nothing was changed',
    cause: err,
  });
}

function undoError(path: string, err: unknown): EnvironmentError {
  return new EnvironmentError(`could not restore ${path} after a failed change: ${(err as Error).message}`, {
    hint: `restore it from git (git checkout HEAD -- <file>, or delete it if it is new)`,
    cause: err,
  });
}

/**
 * writeFileAtomic into a directory made for it when missing: taking the write back also takes
 * back the directories it made (a refused register or import leaves no empty `runs/<model>/`).
 */
export async function writeFileAtomicMkdir(path: string, data: string | Uint8Array): Promise<Written> {
  const dir = dirname(path);
  const created = await fs.mkdir(dir, { recursive: true });
  const w = await writeFileAtomic(path, data);
  if (created === undefined) return w;
  return {
    keep: () => w.keep(),
    undo: async () => {
      await w.undo();
      for (let d = dir; d.length >= created.length; d = dirname(d)) await fs.rmdir(d).catch(() => undefined);
    },
  };
}
