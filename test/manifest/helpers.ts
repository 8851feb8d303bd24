import { InputError, InputErrors } from '../../src/errors';

/** Runs `fn`, expects it to throw input error(s), and returns them flattened. */
export function inputErrors(fn: () => unknown): InputError[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputErrors) return err.errors;
    if (err instanceof InputError) return [err];
    throw err;
  }
  throw new Error('expected an input error, but nothing was thrown');
}

export const DIGEST = `sha256:${'ab12'.repeat(16)}`;

/** 1-based line of the first line containing `needle`. */
export function lineOf(text: string, needle: string, from = 1): number {
  const lines = text.split('\n');
  for (let i = from - 1; i < lines.length; i++) if (lines[i]!.includes(needle)) return i + 1;
  throw new Error(`'${needle}' not in text`);
}
