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
import { assertPlainPath, assertPlainPaths } from './plainPath';

export interface RegistryLayout {
  registry: string;
  policies: string;
  audit: string;
  /** Run snapshots from a tracking server (`runs:` of modelgate.yaml); absent means the default. */
  runs?: string;
  /** `mlflow:` of modelgate.yaml: how `sync mlflow` keeps the MLflow Model Registry in step. */
  mlflow?: { stages: boolean };
}

/** Where `register` writes the snapshot of a tracking-server run (SPEC section 3.1). */
export function snapshotPath(layout: RegistryLayout, model: string, runId: string): string {
  return `${layout.runs ?? 'runs'}/${model}/${runId}.json`;
}

export const CONFIG_FILE = 'modelgate.yaml';

/**
 * `modelgate.yaml` of the state, and its three directories checked to be plain directories
 * there (SPEC section 1: no symlink or submodule for the config, the directories or the path
 * leading to them).
 */
export async function readLayout(state: RepoState): Promise<RegistryLayout> {
  await assertPlainPath(state, CONFIG_FILE, 'modelgate.yaml');
  const layout = loadConfig(await state.readText(CONFIG_FILE), CONFIG_FILE);
  await assertPlainLayout(state, layout);
  return layout;
}

/**
 * The registry, policies and audit directories of `layout` are plain directories in `state`,
 * and the manifests, policy files and audit logs in them are plain files: every command checks
 * them all, whichever it goes on to read. (In a commit the listings are the trees the reads use
 * anyway; in the working tree one readdir and an lstat per file.)
 */
export async function assertPlainLayout(state: RepoState, layout: RegistryLayout): Promise<void> {
  const dirs = [
    { path: layout.registry, role: 'the registry directory', file: /\.yaml$/, fileRole: 'a manifest' },
    { path: layout.policies, role: 'the policies directory', file: /\.ya?ml$/, fileRole: 'a policy file' },
    { path: layout.audit, role: 'the audit directory', file: /\.jsonl$/, fileRole: 'an audit log' },
  ];
  await assertPlainPaths(state, [{ path: CONFIG_FILE, role: 'modelgate.yaml' }, ...dirs]);
  const files = await Promise.all(
    dirs.map(async (d) => ((await state.list(d.path)) ?? []).filter((n) => d.file.test(n)).map((n) => ({ path: `${d.path}/${n}`, role: d.fileRole }))),
  );
  await assertPlainPaths(state, files.flat());
}

/** What a registry path is, for messages about it; undefined for paths that are not the registry's own. */
export function registryRole(layout: RegistryLayout, path: string): string | undefined {
  if (path === CONFIG_FILE) return 'modelgate.yaml';
  if (modelOfPath(layout, path) !== undefined) return 'a manifest';
  if (modelOfAuditPath(layout, path) !== undefined) return 'an audit log';
  if (path.startsWith(`${layout.policies}/`) && /\.ya?ml$/.test(path) && !path.slice(layout.policies.length + 1).includes('/')) return 'a policy file';
  for (const [dir, role] of [[layout.registry, 'the registry directory'], [layout.policies, 'the policies directory'], [layout.audit, 'the audit directory']] as const) {
    if (path === dir || dir.startsWith(`${path}/`)) return role;
  }
  return undefined;
}

/** A manifest, policy file or audit log at `path`, checked plain (with the directories on its way). */
export async function assertPlainRegistryFile(state: RepoState, layout: RegistryLayout, path: string): Promise<void> {
  const role = registryRole(layout, path);
  if (role !== undefined) await assertPlainPath(state, path, role);
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
  await assertPlainPath(state, layout.registry, 'the registry directory');
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
  await assertPlainPath(state, file, 'a manifest');
  const text = await state.readText(file);
  if (text === undefined) return undefined;
  return loadManifest(text, file, opts);
}

/** Every policy file of the state (`policies/*.yaml|yml`), loaded and merged with presets. */
export async function readPolicies(state: RepoState, layout: RegistryLayout): Promise<LoadedPolicy[]> {
  await assertPlainPath(state, layout.policies, 'the policies directory');
  const names = ((await state.list(layout.policies)) ?? []).filter((n) => /\.ya?ml$/.test(n)).sort();
  const files: { path: string; text: string }[] = [];
  for (const name of names) {
    const path = `${layout.policies}/${name}`;
    await assertPlainPath(state, path, 'a policy file');
    const text = await state.readText(path);
    if (text !== undefined) files.push({ path, text });
  }
  return loadPolicies(files);
}
