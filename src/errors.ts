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

/** One human-readable block for an error, as the CLI prints it. */
export function formatError(err: ModelgateError): string {
  if (err instanceof InputErrors) return err.errors.map(formatError).join('\n');
  const where = err instanceof InputError && err.location ? `${formatLocation(err.location)}: ` : '';
  const hint = err.hint ? `\n  hint: ${err.hint}` : '';
  return `error: ${where}${err.message}${hint}`;
}
