/**
 * Registered versions are immutable (SPEC section 2): once a version is in the base manifest its
 * `run`, `artifact`, `digest` and `evidence`, and the files under its run and repository artifact
 * paths, never change. Pure: the adapter (commands/immutability.ts) hands in the manifests, the
 * paths each version's evidence lives under and the paths the change touches.
 */
import type { Manifest, ModelVersion, Stage } from '../manifest/types';

/** The manifest fields that pin what a version is. `evidence` may be added where there was none (`pin`). */
const PINNED_FIELDS = ['run', 'artifact', 'digest', 'evidence'] as const;

/** A registered version the change alters, and how. */
export interface Mutation {
  model: string;
  version: number;
  /** Its stage in base (what Production serves is what is at stake). */
  stage: Stage;
  /** Human-readable changes, e.g. `run changed from mlruns/1/a to mlruns/1/b`, `mlruns/1/a/metrics/val_auc changed`. */
  changes: string[];
}

/** Field changes of one version between base and head. */
export function fieldChanges(base: ModelVersion, head: ModelVersion): string[] {
  const out: string[] = [];
  for (const key of PINNED_FIELDS) {
    const was = base[key];
    const now = head[key];
    if (was === now) continue;
    if (key === 'evidence' && was === undefined) continue; // pinning a version that had none
    if (now === undefined) out.push(`${key} removed (was ${was})`);
    else if (was === undefined) out.push(`${key} added (${now})`);
    else out.push(`${key} changed from ${was} to ${now}`);
  }
  return out;
}

/** Field changes of every version present in both manifests. */
export function manifestMutations(model: string, base: Manifest | undefined, head: Manifest | undefined): Mutation[] {
  if (!base || !head) return [];
  const heads = new Map(head.versions.map((v) => [v.version, v]));
  const out: Mutation[] = [];
  for (const bv of base.versions) {
    const hv = heads.get(bv.version);
    if (!hv) continue; // removed from the manifest: its files may go with it
    const changes = fieldChanges(bv, hv);
    if (changes.length) out.push({ model, version: bv.version, stage: bv.stage, changes });
  }
  return out;
}

/**
 * Whether a changed path affects what lies at `root`: the path is the root, lies under it, or is
 * a directory (or symlink) on the way to it (replacing `mlruns/1` with a link moves the run).
 */
export function touches(root: string, changed: string): boolean {
  if (changed === root) return true;
  return changed.startsWith(`${root}/`) || root.startsWith(`${changed}/`);
}

/** The changed paths that touch any of `roots`, sorted. */
export function touchedPaths(roots: readonly string[], changed: readonly string[]): string[] {
  return changed.filter((p) => roots.some((r) => touches(r, p))).sort();
}

/** Joins the field and file changes found for the same version into one mutation each, in a stable order. */
export function mergeMutations(lists: Mutation[][]): Mutation[] {
  const byKey = new Map<string, Mutation>();
  for (const m of lists.flat()) {
    const key = `${m.model}\0${m.version}`;
    const seen = byKey.get(key);
    if (seen) seen.changes = [...new Set([...seen.changes, ...m.changes])];
    else byKey.set(key, { ...m, changes: [...m.changes] });
  }
  return [...byKey.values()].sort((a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : a.version - b.version));
}

/** The message of a failing `version.immutable` check. */
export function immutableMessage(m: Mutation, limit = 10): string {
  const shown = m.changes.slice(0, limit);
  const more = m.changes.length > limit ? `, and ${m.changes.length - limit} more` : '';
  return `${m.model} v${m.version} (${m.stage}) is registered and cannot change: ${shown.join('; ')}${more}; register a new version for new evidence`;
}
