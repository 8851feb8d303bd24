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
 * changed path under a root.
 */
async function followLinks(scope: MutationScope, watched: Watched[]): Promise<void> {
  const base = scope.base.commit!;
  let fresh = new Set(watched.flatMap((w) => w.roots));
  const seen = new Set<string>(fresh);
  for (let round = 0; round < MAX_LINK_ROUNDS && fresh.size > 0; round++) {
    const links = await linksOnTheWay(scope.root, base, [...fresh]);
    if (links.size === 0) return;
    const next = new Set<string>();
    for (const w of watched) {
      for (const root of [...w.roots]) {
        for (const [link, target] of links) {
          let extra: string | undefined;
          if (root === link || root.startsWith(`${link}/`)) extra = target + root.slice(link.length); // a link on the way
          else if (link.startsWith(`${root}/`)) extra = target; // a link inside
          if (extra !== undefined && !w.roots.includes(extra)) {
            w.roots.push(extra);
            if (!seen.has(extra)) {
              seen.add(extra);
              next.add(extra);
            }
          }
        }
      }
    }
    fresh = next;
  }
}

/** Symlinks of the base commit at, above or under `roots`, each with the repo path it points at. */
async function linksOnTheWay(root: string, commit: string, roots: string[]): Promise<Map<string, string>> {
  const ancestors = new Set<string>();
  for (const r of roots) {
    const parts = r.split('/');
    for (let i = 1; i <= parts.length; i++) ancestors.add(parts.slice(0, i).join('/'));
  }
  const entries: { mode: string; oid: string; path: string }[] = [];
  const list = async (args: string[], paths: string[]) => {
    for (let i = 0; i < paths.length; i += PATHSPEC_CHUNK) {
      const r = await git(['ls-tree', ...args, '-z', '--full-tree', commit, '--', ...paths.slice(i, i + PATHSPEC_CHUNK).map(literal)], { cwd: root });
      for (const line of r.stdout.split('\0')) {
        const m = /^(\d+) \w+ ([0-9a-f]+)\t(.*)$/s.exec(line);
        if (m && m[1] === '120000') entries.push({ mode: m[1], oid: m[2]!, path: m[3]! });
      }
    }
  };
  await list([], [...ancestors]);
  await list(['-r'], roots);
  const out = new Map<string, string>();
  if (entries.length === 0) return out;
  const targets = await blobTexts(root, entries.map((e) => e.oid));
  for (const e of entries) {
    const target = targets.get(e.oid);
    if (target === undefined || target.startsWith('/')) continue;
    const resolved = posix.normalize(posix.join(posix.dirname(e.path), target));
    if (resolved === '..' || resolved.startsWith('../') || resolved === '.') continue; // leaves the repository: readers refuse it
    out.set(e.path, resolved.replace(/\/+$/, ''));
  }
  return out;
}

/** Contents of small blobs (symlink targets) by object id; links are few, one `git cat-file` each. */
async function blobTexts(root: string, oids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const oid of new Set(oids)) {
    const r = await git(['cat-file', 'blob', oid], { cwd: root, allowFail: true });
    if (r.code === 0) out.set(oid, r.stdout);
  }
  return out;
}

/** A pathspec that matches exactly this path (no glob magic from a manifest's text). */
function literal(path: string): string {
  return `:(literal)${path}`;
}
