/**
 * `modelgate.yaml` (SPEC section 1): where the registry, the policies and the audit logs live.
 * The file and every key are optional; each directory must stay inside the repository.
 */
import configSchema from '../schemas/config.schema.json';
import { InputError, InputErrors } from './errors';
import type { RegistryLayout } from './repo/registry';
import { parseYaml } from './schema/document';
import { schemaErrors, type JsonSchema } from './schema/validate';
import { normalizeRepoPath } from './storage/paths';

const SCHEMA = configSchema as JsonSchema;

export const DEFAULT_LAYOUT: Readonly<RegistryLayout> = Object.freeze({ registry: 'registry', policies: 'policies', audit: 'audit' });

const KEYS = ['registry', 'policies', 'audit', 'runs'] as const;

/** `text` undefined (no file) or empty gives the defaults. Throws InputError(s) with locations. */
export function loadConfig(text: string | undefined, file: string): RegistryLayout {
  if (text === undefined) return { ...DEFAULT_LAYOUT };
  const doc = parseYaml(text, file);
  if (doc.value === null || doc.value === undefined) return { ...DEFAULT_LAYOUT };
  const errors = schemaErrors(SCHEMA, doc);
  if (errors.length) throw errors.length === 1 ? errors[0]! : new InputErrors(errors);

  const raw = doc.value as Partial<Record<(typeof KEYS)[number], string>> & { mlflow?: { stages?: boolean } | null };
  const layout: RegistryLayout = { ...DEFAULT_LAYOUT };
  if (raw.mlflow !== undefined) layout.mlflow = { stages: raw.mlflow?.stages === true };
  const claimedBy = new Map<string, string>();
  for (const key of KEYS) {
    const value = raw[key];
    if (value === undefined) continue;
    try {
      layout[key] = normalizeRepoPath(value, key);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      errors.push(new InputError(err.message, { location: doc.locate([key]), hint: err.hint }));
    }
  }
  // Two roles in one directory would make policy files look like manifests (or the reverse).
  for (const key of errors.length ? [] : KEYS) {
    if (layout[key] === undefined) continue; // runs: only when given
    const other = claimedBy.get(layout[key]);
    if (other !== undefined) {
      errors.push(
        new InputError(`${key} and ${other} are the same directory '${layout[key]}'`, {
          location: doc.locate([raw[key] !== undefined ? key : other]),
          hint: 'give manifests, policies, audit logs and run snapshots a directory each',
        }),
      );
    } else claimedBy.set(layout[key], key);
  }
  if (errors.length) throw errors.length === 1 ? errors[0]! : new InputErrors(errors);
  return layout;
}
