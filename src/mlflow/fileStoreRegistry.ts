/**
 * A registered model as MLflow's file store keeps it, read through a repository source:
 * `<mlruns>/models/<name>/meta.yaml` (name, description, aliases), `version-<N>/meta.yaml`
 * (version, current_stage, status, run_id, model_id, source) and `aliases/<alias>` (the version
 * number; preferred over meta.yaml's `aliases:` map, which older stores lack). Unknown keys are
 * ignored, as for run meta.yaml files.
 */
import { InputError, NotFoundError } from '../errors';
import { parseYaml } from '../schema/document';
import { childPath, readSourceText } from '../runs/sourceText';
import { printable } from '../storage/paths';
import type { FileSource } from '../storage/types';
import type { RegistryState, RegistryVersion } from './importMapping';

/** One version, with what locating its model in the store needs. */
export interface FileStoreVersion extends RegistryVersion {
  modelId?: string;
  source?: string;
}

export interface FileStoreModel extends RegistryState {
  versions: FileStoreVersion[];
  /** The registered model's directory in the source. */
  dir: string;
}

/** Most versions read from one model directory: a registry is not a million directories. */
const MAX_VERSIONS = 100_000;

export async function readFileStoreModel(source: FileSource, mlruns: string, name: string): Promise<FileStoreModel> {
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
    throw new InputError(`'${printable(name)}' cannot be a registered model directory`, { hint: 'a file store keeps each registered model in models/<name>/; name one that exists there' });
  }
  const dir = childPath(childPath(mlruns, 'models'), name);
  const metaText = await readSourceText(source, childPath(dir, 'meta.yaml'));
  if (metaText === undefined) {
    const known = ((await source.list(childPath(mlruns, 'models'))) ?? []).filter((n) => !n.startsWith('.')).sort();
    throw new NotFoundError(`no registered model '${printable(name)}' in the file store ${mlruns} (expected ${childPath(dir, 'meta.yaml')})`, {
      hint: known.length ? `registered models there: ${known.map(printable).join(', ')}` : `${mlruns}/models/ holds no registered model: is ${mlruns} the mlruns directory?`,
    });
  }
  const meta = mapping(parseYaml(metaText, childPath(dir, 'meta.yaml')).value);
  const versions: FileStoreVersion[] = [];
  const entries = ((await source.list(dir)) ?? []).filter((n) => /^version-[0-9]+$/.test(n));
  if (entries.length > MAX_VERSIONS) throw new InputError(`${dir} holds more than ${MAX_VERSIONS} versions`);
  for (const entry of entries) {
    const file = childPath(childPath(dir, entry), 'meta.yaml');
    const text = await readSourceText(source, file);
    if (text === undefined) continue; // a directory MLflow did not finish writing: not a version
    const v = mapping(parseYaml(text, file).value);
    versions.push({
      version: text_(v.version) ?? entry.slice('version-'.length),
      ...(text_(v.current_stage) !== undefined ? { stage: text_(v.current_stage)! } : {}),
      ...(text_(v.status) !== undefined ? { status: text_(v.status)! } : {}),
      ...(text_(v.run_id) ? { runId: text_(v.run_id)! } : {}),
      ...(text_(v.model_id) ? { modelId: text_(v.model_id)! } : {}),
      ...(text_(v.source) ? { source: text_(v.source)! } : {}),
    });
  }
  return {
    name: text_(meta.name) ?? name,
    ...(text_(meta.description) ? { description: text_(meta.description)! } : {}),
    versions,
    aliases: await aliases(source, dir, meta.aliases),
    dir,
  };
}

async function aliases(source: FileSource, dir: string, fromMeta: unknown): Promise<{ alias: string; version: string }[]> {
  const aliasDir = childPath(dir, 'aliases');
  const names = await source.list(aliasDir);
  if (names !== undefined) {
    const out: { alias: string; version: string }[] = [];
    for (const n of names.filter((x) => !x.startsWith('.')).sort()) {
      const v = await readSourceText(source, childPath(aliasDir, n));
      if (v !== undefined) out.push({ alias: n, version: v.trim() });
    }
    return out;
  }
  return Object.entries(mapping(fromMeta)).map(([alias, version]) => ({ alias, version: String(version) }));
}

function mapping(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** A scalar as text; null and absent are undefined (MLflow writes `null` for unset fields). */
function text_(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}
