/**
 * The signature of an MLflow model directory, from its `MLmodel` file. Any problem with the
 * file (unparsable YAML, too large, bad signature JSON) is reported as an `invalid` signature,
 * never thrown: only that check fails (closed), the rest of the run still reads. Environment
 * failures (S3, git) do propagate.
 */
import { InputError, InputErrors, formatLocation } from '../../errors';
import { parseYaml } from '../../schema/document';
import type { FileSource } from '../../storage/types';
import { parseMlflowSignature, signatureState } from '../signature';
import { childPath, readSourceText } from '../sourceText';
import type { SignatureState } from '../types';

/**
 * True when `dir` holds an `MLmodel`. A directory of that name counts too, so that reading it
 * reports an unreadable signature instead of falling back to another source of one.
 */
export async function hasMlmodel(source: FileSource, dir: string): Promise<boolean> {
  return (await source.stat(childPath(dir, 'MLmodel'))) !== undefined;
}

/** The signature state of the model in `dir`; undefined when there is no MLmodel there. */
export async function mlmodelSignature(source: FileSource, dir: string): Promise<SignatureState | undefined> {
  const path = childPath(dir, 'MLmodel');
  const file = source.describe(path);
  let value: unknown;
  try {
    const text = await readSourceText(source, path);
    if (text === undefined) return undefined;
    value = parseYaml(text, file).value;
  } catch (err) {
    if (err instanceof InputError || err instanceof InputErrors) return { state: 'invalid', source: file, error: describeError(err) };
    throw err;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { state: 'invalid', source: file, error: 'MLmodel is not a YAML mapping' };
  }
  const signature = (value as Record<string, unknown>).signature;
  if (signature === undefined || signature === null) return { state: 'absent', source: file };
  return signatureState(file, () => parseMlflowSignature(signature));
}

function describeError(err: InputError | InputErrors): string {
  const first = err instanceof InputErrors ? err.errors[0] : err;
  if (!first) return err.message;
  return first.location ? `${formatLocation(first.location)}: ${first.message}` : first.message;
}
