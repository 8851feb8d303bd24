/**
 * The error model. Every failure a user can see is one of these, carrying the exit code the
 * spec assigns: 2 for bad input or usage, 3 for an environment failure (git, S3, GitHub API).
 * "Denied by policy" (exit 1) is not an error: it is a result (see policy/types.ts).
 */

/** Where in a file the problem is. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
  /** JSON-pointer-like path inside the document, e.g. `/versions/2/stage`. */
  jsonPath?: string;
}

export abstract class ModelgateError extends Error {
  abstract readonly exitCode: 2 | 3;
  /** What the user should do about it, one sentence. */
  readonly hint: string | undefined;
  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.hint = hint;
    this.name = new.target.name;
  }
}

/** Invalid input or usage: exit 2, nothing is written. */
export class InputError extends ModelgateError {
  readonly exitCode = 2 as const;
  readonly location: SourceLocation | undefined;
  constructor(message: string, opts: { location?: SourceLocation; hint?: string; cause?: unknown } = {}) {
    super(message, opts.hint, { cause: opts.cause });
    this.location = opts.location;
  }
}

/**
 * A referenced thing (a run, an artifact) does not exist. Still an input error (exit 2) when a
 * command needs it, but the policy engine tells it apart from "unreadable" to report
 * `run.exists` / `artifact.exists` rather than `could not evaluate`.
 */
export class NotFoundError extends InputError {}

/**
 * A path that would lead outside the repository (`..`, an absolute path, a symlink that
 * leaves it, a symlink loop): refused before anything is read. `check` reports it as an input
 * error (exit 2) rather than as a failing check, because the change itself is malformed.
 */
export class UnsafePathError extends InputError {}

/** Several input errors found in one pass (e.g. `validate` over the whole registry). */
export class InputErrors extends ModelgateError {
  readonly exitCode = 2 as const;
  readonly errors: InputError[];
  constructor(errors: InputError[]) {
    super(`${errors.length} input error${errors.length === 1 ? '' : 's'}`);
    this.errors = errors;
  }
}

/** The environment failed (git, S3, GitHub API, file system): exit 3, fail closed. */
export class EnvironmentError extends ModelgateError {
  readonly exitCode = 3 as const;
  constructor(message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(message, opts.hint, { cause: opts.cause });
  }
}

/** `file:line:column (path)` for messages. */
export function formatLocation(loc: SourceLocation): string {
  let s = loc.file;
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.line !== undefined && loc.column !== undefined) s += `:${loc.column}`;
  if (loc.jsonPath) s += ` (at ${loc.jsonPath})`;
  return s;
}

/**
 * One line naming where and what, for places that embed an error in other text (a check's
 * `could not evaluate:` message): the location is added unless the message already names the
 * file, and of several errors the first is shown with a count of the rest.
 */
export function errorSummary(err: unknown): string {
  if (err instanceof InputErrors) {
    const [first, ...rest] = err.errors;
    if (!first) return err.message;
    return errorSummary(first) + (rest.length ? ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})` : '');
  }
  if (err instanceof InputError && err.location && !err.message.includes(err.location.file)) {
    return `${formatLocation(err.location)}: ${err.message}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Characters that must not reach a terminal or a CI log raw from a message, which may quote
 * user input (an argument, a file name, a value): line breaks would start a new log line (a
 * `::error::` workflow command on a runner), escapes and bidi overrides would change what the
 * line shows. They are written as `\n`, `\x1b`, `\u202e`.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_MESSAGE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * An error or warning message made one inert line: control characters escaped, and the CI
 * runner's legacy `##[cmd]` (obeyed anywhere in a line) broken to `##\[`.
 */
export function escapeMessage(text: string): string {
  return text.replace(/##\[/g, '##\\[').replace(UNSAFE_IN_MESSAGE, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** One human-readable block for an error, as the CLI prints it: one line, then the hint. */
export function formatError(err: ModelgateError): string {
  if (err instanceof InputErrors) return err.errors.map(formatError).join('\n');
  const loc = err instanceof InputError ? err.location : undefined;
  // A message that already starts with its file (`x.yaml is a directory`) is not prefixed again.
  const where = loc && !err.message.startsWith(loc.file) ? `${formatLocation(loc)}: ` : '';
  const hint = err.hint ? `\n  hint: ${escapeMessage(err.hint)}` : '';
  return `error: ${escapeMessage(where + err.message)}${hint}`;
}
