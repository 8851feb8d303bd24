/**
 * Stops on signals and on the wall-clock budget, both with exit 3 (fail closed).
 *
 * A cancelled job (the runner sends SIGINT, then SIGTERM) or a Ctrl-C ends modelgate with exit
 * 3 and one line, inside the 0/1/2/3 contract, instead of the shell's 130/143. Stopping at any
 * point is safe: every write is atomic and a decision interrupted half-way is in one of the
 * states the next command names (README, "Killed at any point"), as after SIGKILL.
 */
import { budgetMs } from '../commands/evalBudget';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export function exitOnSignals(write: (line: string) => void): void {
  for (const signal of SIGNALS) {
    process.once(signal, () => {
      write(`error: stopped by ${signal}: nothing was allowed\n  hint: a decision stopped half-way is undone or completed by the next command (modelgate audit verify names the state)`);
      process.exit(3);
    });
  }
}

/** Default wall-clock budget of one command: far above any measured run (audit verify of 1,000,000 records: 19 s). */
export const DEFAULT_BUDGET_MS = 30 * 60 * 1000;

/**
 * Ends the process with exit 3 when the command runs longer than `MODELGATE_TIMEOUT_MS`
 * (default 30 minutes): whatever hangs (a service that trickles, a pathological input that no
 * other bound caught), the job ends with "nothing was allowed" long before the runner's 6 hours.
 */
export function exitAfterBudget(env: NodeJS.ProcessEnv, write: (line: string) => void, beforeExit?: () => void): void {
  const ms = budgetMs(env.MODELGATE_TIMEOUT_MS, DEFAULT_BUDGET_MS);
  const timer = setTimeout(() => {
    beforeExit?.();
    write(`error: modelgate did not finish within ${ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${ms} ms`}: nothing was allowed\n  hint: re-run it; MODELGATE_TIMEOUT_MS sets the budget (milliseconds)`);
    process.exit(3);
  }, ms);
  timer.unref(); // a finished command never waits for it
}

/**
 * Ends the process once the command has answered, even when abandoned work holds the event
 * loop (an evaluation past its budget still waiting on S3: commands/evalBudget.ts): its result
 * can no longer change anything, and waiting on its own timeouts would only hold the job.
 * process.exitCode is already set; stdout and stderr are written synchronously to pipes and
 * files on Linux, so nothing said is lost.
 */
export function exitWhenDone(): void {
  setTimeout(() => process.exit(), 100).unref();
}
