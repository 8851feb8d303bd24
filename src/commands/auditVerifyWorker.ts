/**
 * Worker-thread entry of `audit verify` (bundled as dist/audit-verify-worker.js): verifies the
 * models it is handed and posts their verdicts, or the user-facing error it met (errors lose
 * their class crossing threads, so the exit code travels explicitly).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { verifyShard, type ShardInput, type WorkerAnswer } from './audit';
import { ModelgateError, InputError } from '../errors';

async function main(): Promise<WorkerAnswer> {
  try {
    return { ok: true, verdicts: await verifyShard(workerData as ShardInput) };
  } catch (err) {
    if (err instanceof ModelgateError) return { ok: false, exitCode: err instanceof InputError ? 2 : 3, message: err.message, ...(err.hint ? { hint: err.hint } : {}) };
    return { ok: false, exitCode: 3, message: `internal error in a verification thread: ${(err as Error)?.message ?? String(err)}` };
  }
}

void main().then((answer) => parentPort!.postMessage(answer));
