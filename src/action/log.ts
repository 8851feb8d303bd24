/**
 * Writing to the job log without giving user text the power of a workflow command. The runner
 * reads stdout line by line (a line ends at \n, \r or \r\n) and obeys `::cmd::` at the start of
 * a line (after any whitespace) and the legacy `##[cmd]` anywhere in a line. Annotations,
 * warnings and errors go through @actions/core, which escapes their data; plain log lines that
 * carry model names, messages or reasons go through `logSafe` first.
 */
import * as core from '@actions/core';

/** One implementation for every output: see report/text.ts. */
export { neutralizeWorkflowCommands as logSafe, inertLegacy } from '../report/text';
import { neutralizeWorkflowCommands as logSafe } from '../report/text';

/** An info line in the job log, safe to fill with user text. */
export function info(text: string): void {
  core.info(logSafe(text));
}
