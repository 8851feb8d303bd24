#!/usr/bin/env node
/**
 * The `modelgate` process (dist/cli.js): help and --version answer at once; every other command
 * runs in a watched child of this same entry (cli/supervise.ts), which runs `main`.
 */
import { main } from './main';
import { processIo } from './io';
import { exitAfterBudget, exitOnSignals, exitWhenDone } from './signals';
import { isSupervisedChild, stopWithParent, superviseSelf } from './supervise';

const io = processIo();
const argv = process.argv.slice(2);
if (!isSupervisedChild() && !['--version', '-V', 'version', '--help', '-h', 'help', undefined].includes(argv[0])) {
  superviseSelf(io.err);
} else {
  exitOnSignals(io.err);
  if (isSupervisedChild()) stopWithParent();
  else exitAfterBudget(process.env, io.err);
  // Ends once answered: work abandoned by an evaluation budget (an S3 wait) must not hold the job.
  void main(argv, io, process.env)
    .then((code) => {
      process.exitCode = code;
    })
    .finally(exitWhenDone);
}
