/**
 * Atomic file writes: write a temp file beside the target, fsync, rename. A crash at any point
 * leaves either the old file or the new one, never a half-written file.
 */
import { promises as fs } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { EnvironmentError } from '../errors';

/** Test hook: lets crash tests kill the process between two writes of one change. */
const crashAfter = process.env.MODELGATE_TEST_CRASH_AFTER_WRITES;
let writes = 0;

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fs.mkdir(dir, { recursive: true });
    const fh = await fs.open(tmp, 'wx');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, path);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw new EnvironmentError(`could not write ${path}: ${(err as Error).message}`, {
      hint: 'check free disk space and permissions; nothing was changed',
      cause: err,
    });
  }
  writes++;
  if (crashAfter !== undefined && writes >= Number(crashAfter)) process.kill(process.pid, 'SIGKILL');
}

/**
 * Appends lines to a file atomically: copies the file to a temp (a kernel copy, cheap even for
 * large logs), appends, fsyncs and renames. Readers never see a torn last line.
 */
export async function appendFileAtomic(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fs.mkdir(dir, { recursive: true });
    try {
      await fs.copyFile(path, tmp);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const fh = await fs.open(tmp, 'a');
    try {
      await fh.appendFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, path);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw new EnvironmentError(`could not write ${path}: ${(err as Error).message}`, {
      hint: 'check free disk space and permissions; nothing was changed',
      cause: err,
    });
  }
  writes++;
  if (crashAfter !== undefined && writes >= Number(crashAfter)) process.kill(process.pid, 'SIGKILL');
}
