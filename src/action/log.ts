/**
 * Writing to the job log without giving user text the power of a workflow command. The runner
 * reads stdout line by line (a line ends at \n, \r or \r\n) and obeys `::cmd::` at the start of
 * a line (after any whitespace) and the legacy `##[cmd]` anywhere in a line. Annotations,
 * warnings and errors go through @actions/core, which escapes their data; plain log lines that
 * carry model names, messages or reasons go through `logSafe` first.
 */
import * as core from '@actions/core';

/** Leading whitespace as the runner trims it (.NET TrimStart: Unicode white space, incl. U+0085). */
const COMMAND_AT_START = /^([\s\u0085]*)::/;

export function logSafe(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => inertLegacy(line).replace(COMMAND_AT_START, '$1\\::'))
    .join('\n');
}

/**
 * Breaks the legacy `##[cmd]` form. Inside an annotation's data (after `::error …::`) the runner
 * does not look for it, but the message is user text, so it is broken there too.
 */
export function inertLegacy(text: string): string {
  return text.replace(/##\[/g, '##\\[');
}

/** An info line in the job log, safe to fill with user text. */
export function info(text: string): void {
  core.info(logSafe(text));
}
