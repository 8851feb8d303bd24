import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);

// src/errors.ts
var ModelgateError = class extends Error {
  /** What the user should do about it, one sentence. */
  hint;
  constructor(message, hint, options) {
    super(message, options);
    this.hint = hint;
    this.name = new.target.name;
  }
};
var InputError = class extends ModelgateError {
  exitCode = 2;
  location;
  constructor(message, opts = {}) {
    super(message, opts.hint, { cause: opts.cause });
    this.location = opts.location;
  }
};
var NotFoundError = class extends InputError {
};
var UnsafePathError = class extends InputError {
};
var InputErrors = class extends ModelgateError {
  exitCode = 2;
  errors;
  constructor(errors) {
    super(`${errors.length} input error${errors.length === 1 ? "" : "s"}`);
    this.errors = errors;
  }
};
var EnvironmentError = class extends ModelgateError {
  exitCode = 3;
  constructor(message, opts = {}) {
    super(message, opts.hint, { cause: opts.cause });
  }
};
function formatLocation(loc) {
  let s = loc.file;
  if (loc.line !== void 0) s += `:${loc.line}`;
  if (loc.line !== void 0 && loc.column !== void 0) s += `:${loc.column}`;
  if (loc.jsonPath) s += ` (at ${loc.jsonPath})`;
  return s;
}
function errorSummary(err) {
  if (err instanceof InputErrors) {
    const [first, ...rest] = err.errors;
    if (!first) return err.message;
    return errorSummary(first) + (rest.length ? ` (and ${rest.length} more problem${rest.length === 1 ? "" : "s"})` : "");
  }
  if (err instanceof InputError && err.location && !err.message.includes(err.location.file)) {
    return `${formatLocation(err.location)}: ${err.message}`;
  }
  return err instanceof Error ? err.message : String(err);
}
var UNSAFE_IN_MESSAGE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
function escapeMessage(text) {
  return text.replace(/##\[/g, "##\\[").replace(UNSAFE_IN_MESSAGE, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "	") return "\\t";
    const code = c.charCodeAt(0);
    return code < 256 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
function formatError(err) {
  if (err instanceof InputErrors) return err.errors.map(formatError).join("\n");
  const loc = err instanceof InputError ? err.location : void 0;
  const where = loc && !err.message.startsWith(loc.file) ? `${formatLocation(loc)}: ` : "";
  const hint = err.hint ? `
  hint: ${escapeMessage(err.hint)}` : "";
  return `error: ${escapeMessage(where + err.message)}${hint}`;
}

export {
  ModelgateError,
  InputError,
  NotFoundError,
  UnsafePathError,
  InputErrors,
  EnvironmentError,
  formatLocation,
  errorSummary,
  escapeMessage,
  formatError
};
