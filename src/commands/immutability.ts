/**
 * Finds the registered versions a change alters (SPEC section 2, check `version.immutable`):
 * manifest fields through the pure core, files through git. The cost follows the change: one
 * `git diff` lists what changed; manifests are compared only for the models the change touches,
 * and the whole registry's run paths are consulted only when files outside the registry changed.
 */
import { posix } from 'node:path';
import type { LoadedManifest, ModelVersion } from '../manifest/types';
import { git } from '../git/exec';
import { CONFIG_FILE, listModels, modelOfAuditPath, modelOfPath, type RegistryLayout } from '../repo/registry';
import type { ChangeStatus } from '../repo/changes';
import { symlinksOf, type TreeLink } from '../git/tree';
import { serverArtifacts } from '../runs/mlflow/modelDir';
import type { RepoState } from '../repo/types';
import { isRemoteUri, normalizeRepoPath } from '../storage/paths';
import { manifestMutations, mergeMutations, touchedPaths, type Mutation } from '../transitions/immutable';

/** Git's argument lists stay well below the OS limit however many versions a registry has. */
const PATHSPEC_CHUNK = 1000;
/** Symlinks are followed this many hops when finding where a version's files really are. */
const MAX_LINK_ROUNDS = 8;

/** The registry's own files: judged as manifests, logs and policies, not as run evidence. */
export function isRegistryFile(layout: RegistryLayout, path: string): boolean {
  return path === CONFIG_FILE || path.startsWith(`${layout.policies}/`) || modelOfPath(layout, path) !== undefined || modelOfAuditPath(layout, path) !== undefined;
}

export interface MutationScope {
  root: string;
  base: RepoState;
  head: RepoState;
  layout: RegistryLayout;
  /** The layout the head state declares (differs from `layout` when the change moves the registry). */
  headLayout: RegistryLayout;
  changed: Map<string, ChangeStatus>;
  /** Loaded manifests of a model in base and head (cached by the caller). */
  manifests(model: string): Promise<{ base: LoadedManifest | undefined; head: LoadedManifest | undefined }>;
}

/** The versions of the base registry that the change alters, with what changed. */
export async function findMutations(scope: MutationScope): Promise<Mutation[]> {
  const { layout, headLayout, changed } = scope;
  const changedModels = new Set([...changed.keys()].map((p) => modelOfPath(layout, p) ?? modelOfPath(headLayout, p)).filter((m): m is string => m !== undefined));
  const lists: Mutation[][] = [];
  for (const model of changedModels) {
    const { base, head } = await scope.manifests(model);
    lists.push(manifestMutations(model, base?.manifest, head?.manifest));
  }
  const files = [...changed.keys()].filter((p) => !isRegistryFile(layout, p) && !isRegistryFile(headLayout, p));
  if (files.length > 0 || (scope.head.commit === undefined && (await hasIgnoredFiles(scope.root)))) lists.push(await fileMutations(scope, files));
  return mergeMutations(lists);
}

interface Watched {
  model: string;
  version: ModelVersion;
  /** Repo paths the version's evidence and artifact are read from (through links, too). */
  roots: string[];
}

async function fileMutations(scope: MutationScope, files: string[]): Promise<Mutation[]> {
  const watched = await registeredRoots(scope);
  if (watched.length === 0) return [];
  if (scope.head.commit === undefined) await addIgnoredFiles(scope, watched, files);
  // The costlier places a version's files may also be are looked up only for changed paths that
  // no run or artifact path explains (a registration's new run files, say): a promotion that
  // touches registered runs, or none, never pays for them.
  let unexplained = unmatched(watched, files);
  if (unexplained.some((p) => /(^|\/)models\//.test(p))) {
    await addLoggedModels(scope, watched);
    unexplained = unmatched(watched, files);
  }
  if (unexplained.some((p) => /(^|\/)mlartifacts\//.test(p))) {
    await addServedArtifacts(scope, watched);
    unexplained = unmatched(watched, files);
  }
  if (unexplained.length > 0) await followLinks(scope, watched);
  const alone = new Set(unmatched(watched, files));
  const explained = files.filter((p) => !alone.has(p));
  const out: Mutation[] = [];
  if (explained.length === 0) return out;
  for (const w of watched) {
    const hit = touchedPaths(w.roots, explained);
    if (hit.length) {
      out.push({ model: w.model, version: w.version.version, stage: w.version.stage, changes: hit.map((p) => `${p} ${describeStatus(scope.changed.get(p))}`) });
    }
  }
  return out;
}

/** Changed paths that touch no watched root, through an index of roots and their ancestors (cost per path: its depth). */
function unmatched(watched: Watched[], files: string[]): string[] {
  const roots = new Set<string>();
  const above = new Set<string>();
  for (const w of watched) {
    for (const r of w.roots) {
      roots.add(r);
      for (let i = r.indexOf('/'); i !== -1; i = r.indexOf('/', i + 1)) above.add(r.slice(0, i));
    }
  }
  return files.filter((p) => {
    if (roots.has(p) || above.has(p)) return false;
    for (let i = p.indexOf('/'); i !== -1; i = p.indexOf('/', i + 1)) if (roots.has(p.slice(0, i))) return false;
    return true;
  });
}

function describeStatus(s: ChangeStatus | undefined): string {
  return s === 'A' ? 'added' : s === 'D' ? 'removed' : s === 'T' ? 'changed type' : 'changed';
}

/** Every base version still in head, with the repository paths its run and artifact are at. */
async function registeredRoots(scope: MutationScope): Promise<Watched[]> {
  const out: Watched[] = [];
  for (const model of await listModels(scope.base, scope.layout)) {
    const { base, head } = await scope.manifests(model);
    if (!base) continue;
    const kept = new Set(head?.manifest.versions.map((v) => v.version) ?? []);
    for (const v of base.manifest.versions) {
      if (!kept.has(v.version)) continue; // removed with the change: its files may go too
      const roots = [repoPath(v.run), v.artifact === undefined ? undefined : repoPath(v.artifact)].filter((r): r is string => r !== undefined);
      if (roots.length) out.push({ model, version: v, roots });
    }
  }
  return out;
}

/** MLflow 3 keeps a run's model beside the run (`<exp>/models/<id>`), linked from `<run>/outputs/<id>`. */
async function addLoggedModels(scope: MutationScope, watched: Watched[]): Promise<void> {
  for (const w of watched) {
    const run = repoPath(w.version.run);
    if (run === undefined || run.endsWith('.json')) continue;
    const exp = posix.dirname(run);
    for (const id of (await scope.base.list(`${run}/outputs`)) ?? []) w.roots.push(exp === '.' ? `models/${id}` : `${exp}/models/${id}`);
  }
}

/** A tracking server's runs keep their artifacts in `mlartifacts/` beside the mlruns root (`mlflow-artifacts:/` URIs). */
async function addServedArtifacts(scope: MutationScope, watched: Watched[]): Promise<void> {
  for (const w of watched) {
    const run = repoPath(w.version.run);
    if (run === undefined || run.endsWith('.json')) continue;
    const meta = await scope.base.readText(`${run}/meta.yaml`).catch(() => undefined);
    const uri = meta === undefined ? undefined : /^artifact_uri:\s*['"]?(mlflow-artifacts:[^\s'"]+)/m.exec(meta)?.[1];
    const served = uri === undefined ? undefined : serverArtifacts(run, uri);
    if (served !== undefined) w.roots.push(served);
  }
}

function repoPath(ref: string): string | undefined {
  if (isRemoteUri(ref)) return undefined;
  try {
    return normalizeRepoPath(ref);
  } catch {
    return undefined; // refused where the run is read; nothing in the repository to watch
  }
}

/** Whether the working tree holds any ignored file (collapsed to directories: one cheap listing). */
async function hasIgnoredFiles(root: string): Promise<boolean> {
  const r = await git(['ls-files', '--others', '--ignored', '--exclude-standard', '--directory', '-z'], { cwd: root });
  return r.stdout.length > 0;
}

/** Ignored files under a run in the working tree are read like any other: they count as added. */
async function addIgnoredFiles(scope: MutationScope, watched: Watched[], files: string[]): Promise<void> {
  const roots = [...new Set(watched.flatMap((w) => w.roots))];
  for (let i = 0; i < roots.length; i += PATHSPEC_CHUNK) {
    const r = await git(['ls-files', '--others', '-z', '--', ...roots.slice(i, i + PATHSPEC_CHUNK).map(literal)], { cwd: scope.root });
    for (const p of r.stdout.split('\0').filter(Boolean)) {
      if (!scope.changed.has(p)) {
        scope.changed.set(p, 'A');
        files.push(p);
      }
    }
  }
}

/**
 * Run and artifact paths may go through symlinks inside the repository (SPEC section 1), and
 * a run may hold links to files elsewhere: readers follow them, so the files they lead to are
 * watched too. Base links are what matter: a link the change adds or retargets is itself a
 * changed path under a root. The base tree's links are listed once (streamed; only links kept).
 */
async function followLinks(scope: MutationScope, watched: Watched[]): Promise<void> {
  const links = resolvedLinks(await symlinksOf(scope.root, scope.base.commit!));
  if (links.size === 0) return;
  for (const w of watched) {
    const queue = [...w.roots];
    for (let hops = 0; queue.length > 0 && hops < MAX_LINK_ROUNDS * w.roots.length + MAX_LINK_ROUNDS; hops++) {
      const root = queue.shift()!;
      for (const extra of linkedFrom(root, links)) {
        if (w.roots.includes(extra)) continue;
        w.roots.push(extra);
        queue.push(extra);
      }
    }
  }
}

/** Each link's path with the repo path it points at; links that leave the repository are dropped (readers refuse them). */
function resolvedLinks(links: TreeLink[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of links) {
    if (l.target.startsWith('/')) continue;
    const resolved = posix.normalize(posix.join(posix.dirname(l.path), l.target)).replace(/\/+$/, '');
    if (resolved === '..' || resolved.startsWith('../') || resolved === '.' || resolved === '') continue;
    out.set(l.path, resolved);
  }
  return out;
}

/** Where links at or above `root` (on the way) and under it (inside) lead. */
function linkedFrom(root: string, links: Map<string, string>): string[] {
  const out: string[] = [];
  for (let i = root.indexOf('/'); ; i = root.indexOf('/', i + 1)) {
    const prefix = i === -1 ? root : root.slice(0, i);
    const target = links.get(prefix);
    if (target !== undefined) out.push(target + root.slice(prefix.length));
    if (i === -1) break;
  }
  for (const [link, target] of links) if (link.startsWith(`${root}/`)) out.push(target);
  return out;
}

/** A pathspec that matches exactly this path (no glob magic from a manifest's text). */
function literal(path: string): string {
  return `:(literal)${path}`;
}
