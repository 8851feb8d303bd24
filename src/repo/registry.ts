/**
 * The registry as it stands in one state: where its files are (modelgate.yaml) and typed
 * loaders for manifests and policies. Reads only what is asked for, so a check of one model
 * never reads the others.
 */
import { loadConfig } from '../config';
import { loadManifest } from '../manifest/load';
import { loadPolicies } from '../policy/load';
import type { LoadedManifest } from '../manifest/types';
import type { LoadedPolicy } from '../policy/types';
import { InputError } from '../errors';
import { MODEL_NAME_PATTERN } from '../manifest/types';
import type { RepoState } from './types';

export interface RegistryLayout {
  registry: string;
  policies: string;
  audit: string;
  /** Run snapshots from a tracking server (`runs:` of modelgate.yaml); absent means the default. */
  runs?: string;
}

/** Where `register` writes the snapshot of a tracking-server run (SPEC section 3.1). */
export function snapshotPath(layout: RegistryLayout, model: string, runId: string): string {
  return `${layout.runs ?? 'runs'}/${model}/${runId}.json`;
}

export const CONFIG_FILE = 'modelgate.yaml';

export async function readLayout(state: RepoState): Promise<RegistryLayout> {
  return loadConfig(await state.readText(CONFIG_FILE), CONFIG_FILE);
}

export function manifestPath(layout: RegistryLayout, model: string): string {
  return `${layout.registry}/${model}.yaml`;
}

export function auditPath(layout: RegistryLayout, model: string): string {
  return `${layout.audit}/${model}.jsonl`;
}

/** The model a registry file path names, or undefined when the path is not a manifest. */
export function modelOfPath(layout: RegistryLayout, path: string): string | undefined {
  const prefix = `${layout.registry}/`;
  if (!path.startsWith(prefix) || !path.endsWith('.yaml')) return undefined;
  const name = path.slice(prefix.length, -'.yaml'.length);
  return name.includes('/') ? undefined : name;
}

/** The model an audit log path names, or undefined when the path is not an audit log. */
export function modelOfAuditPath(layout: RegistryLayout, path: string): string | undefined {
  const prefix = `${layout.audit}/`;
  if (!path.startsWith(prefix) || !path.endsWith('.jsonl')) return undefined;
  const name = path.slice(prefix.length, -'.jsonl'.length);
  return name.includes('/') ? undefined : name;
}

export function assertModelName(name: string): void {
  if (!MODEL_NAME_PATTERN.test(name)) {
    throw new InputError(`'${name}' is not a valid model name`, {
      hint: 'model names match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$ (letters, digits, . _ -)',
    });
  }
}

/** Model names with a manifest in this state, sorted. */
export async function listModels(state: RepoState, layout: RegistryLayout): Promise<string[]> {
  const entries = (await state.list(layout.registry)) ?? [];
  return entries.filter((e) => e.endsWith('.yaml')).map((e) => e.slice(0, -'.yaml'.length)).sort();
}

export async function readManifest(
  state: RepoState,
  layout: RegistryLayout,
  model: string,
  opts: { singleProduction?: boolean } = {},
): Promise<LoadedManifest | undefined> {
  const file = manifestPath(layout, model);
  const text = await state.readText(file);
  if (text === undefined) return undefined;
  return loadManifest(text, file, opts);
}

/** Every policy file of the state (`policies/*.yaml|yml`), loaded and merged with presets. */
export async function readPolicies(state: RepoState, layout: RegistryLayout): Promise<LoadedPolicy[]> {
  const names = ((await state.list(layout.policies)) ?? []).filter((n) => /\.ya?ml$/.test(n)).sort();
  const files: { path: string; text: string }[] = [];
  for (const name of names) {
    const path = `${layout.policies}/${name}`;
    const text = await state.readText(path);
    if (text !== undefined) files.push({ path, text });
  }
  return loadPolicies(files);
}
