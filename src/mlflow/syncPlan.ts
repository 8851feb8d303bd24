/**
 * What `sync mlflow` must write so the MLflow Model Registry follows git (SPEC section 9), as a
 * pure function of what git says (the manifest, its audit heads, its snapshots) and what the
 * server holds now. No I/O: the adapter (commands/sync.ts) reads both sides and executes the
 * actions in the order given here.
 *
 * Order of the actions, chosen so that a sync that stops half-way never leaves an alias on a
 * version git did not give it, and never a version MLflow cannot map back to git:
 * 1. the registered model, when missing;
 * 2. aliases git does not have (or cannot map) are deleted FIRST: each one points at a version
 *    git did not give it, so removing it is the first step to "every alias is git's", and it
 *    depends on nothing else being written;
 * 3. missing versions are created, with their three tags in the same request (a version is
 *    never untagged on the server, so a re-run maps it instead of creating it twice);
 * 4. tags of existing versions, then stages (a version leaves a stage before another enters it);
 * 5. aliases are set (an upsert: the alias moves without ever being absent) LAST, once the
 *    version they point at exists and carries its `modelgate.version` tag.
 */
import type { Stage } from '../manifest/types';
import { printable } from '../storage/paths';

export const TAG_VERSION = 'modelgate.version';
export const TAG_STAGE = 'modelgate.stage';
export const TAG_AUDIT = 'modelgate.audit';
/**
 * The registered-model tag that says which manifest governs it. Sync writes only to a registered
 * model it creates (with this tag, in the create request) or that already carries this tag with
 * the manifest's name: a manifest cannot take over another team's model by naming it.
 */
export const TAG_MODEL = 'modelgate.model';
const OWN_TAGS = [TAG_VERSION, TAG_STAGE, TAG_AUDIT] as const;

/** How a version without an MLflow counterpart gets one, or why it cannot. */
export type VersionOrigin =
  | {
      /** `models:/m-…`, `runs:/<run_id>/<path>` or the artifact URI (SPEC section 9). */
      source: string;
      runId: string;
      /** The registry version the snapshot was taken from (`models:/<name>/<n>`), when it names one. */
      registered?: { name: string; version: string };
    }
  | { skip: string };

export interface DesiredVersion {
  version: number;
  stage: Stage;
  /** Hash of the version's latest audit record; undefined when it has none. */
  audit?: string;
  /** Needed only for versions with no MLflow version tagged with their number (see unmappedVersions). */
  origin?: VersionOrigin;
}

/** What git says one model looks like in the registry. */
export interface DesiredModel {
  /** The manifest's name (what messages call it). */
  model: string;
  /** The registered model in MLflow: `name`, or `mlflow.name` of the manifest. */
  registeredModel: string;
  versions: DesiredVersion[];
  /** alias → version number */
  aliases: Record<string, number>;
  /** `mlflow: {stages: true}` of modelgate.yaml: MLflow stages follow the manifest too. */
  stages: boolean;
}

export interface ServerVersion {
  /** MLflow's version number, a string as the API sends it. */
  version: string;
  /** current_stage */
  stage: string;
  runId?: string;
  tags: Record<string, string>;
}

export interface ServerModel {
  exists: boolean;
  /** The registered model's own tags (TAG_MODEL among them); absent reads as none. */
  tags?: Record<string, string>;
  versions: ServerVersion[];
  /** alias → MLflow version */
  aliases: Record<string, string>;
}

interface Target {
  model: string;
  name: string;
}
/** A write aimed at a git version: its MLflow version is known unless the plan creates it first. */
interface AtVersion extends Target {
  version: number;
  mlflowVersion?: string;
}

export type SyncAction =
  | ({ kind: 'create-model'; tags: Record<string, string> } & Target)
  | ({ kind: 'delete-alias'; alias: string; mlflowVersion: string; why: string } & Target)
  | ({ kind: 'create-version'; version: number; source: string; runId: string; tags: Record<string, string> } & Target)
  | ({ kind: 'set-tag'; key: string; value: string; was?: string } & AtVersion)
  | ({ kind: 'delete-tag'; key: string; was: string } & AtVersion)
  | ({ kind: 'set-stage'; stage: Stage; was: string } & AtVersion)
  | ({ kind: 'set-alias'; alias: string; was?: string } & AtVersion);

export interface SyncPlan {
  actions: SyncAction[];
  /** What sync leaves as it is, and why (not differences: a re-run cannot change them). */
  notes: string[];
}

/**
 * MLflow refuses these alias names (`latest`, and `v<N>`, which would read as a version):
 * mlflow/utils/validation.py `_validate_model_alias_name`.
 */
export function reservedAlias(alias: string): boolean {
  return alias.toLowerCase() === 'latest' || /^v[0-9]+$/i.test(alias);
}

/** The MLflow version of each git version: the lowest-numbered one tagged `modelgate.version=<n>`. */
export function mappedVersions(server: ServerModel): { map: Map<number, string>; duplicates: Map<number, string[]> } {
  const byVersion = new Map<number, string[]>();
  for (const v of server.versions) {
    const tag = v.tags[TAG_VERSION];
    if (tag === undefined || !/^[1-9][0-9]{0,8}$/.test(tag)) continue;
    const n = Number(tag);
    byVersion.set(n, [...(byVersion.get(n) ?? []), v.version]);
  }
  const map = new Map<number, string>();
  const duplicates = new Map<number, string[]>();
  for (const [n, list] of byVersion) {
    const sorted = [...list].sort((a, b) => Number(a) - Number(b));
    map.set(n, sorted[0]!);
    if (sorted.length > 1) duplicates.set(n, sorted);
  }
  return { map, duplicates };
}

/** Git versions that no MLflow version carries the tag of: the adapter reads their snapshots (and only theirs). */
export function unmappedVersions(desired: Pick<DesiredModel, 'versions'>, server: ServerModel): number[] {
  const { map } = mappedVersions(server);
  return desired.versions.filter((v) => !map.has(v.version)).map((v) => v.version);
}

const STAGE_ORDER: Record<string, number> = { Archived: 0, None: 1, Staging: 2, Production: 3 };

export function planSync(desired: DesiredModel, server: ServerModel): SyncPlan {
  const t: Target = { model: desired.model, name: desired.registeredModel };
  const actions: SyncAction[] = [];
  const notes: string[] = [];
  const live: ServerModel = server.exists ? server : { exists: false, versions: [], aliases: {} };
  if (!server.exists) actions.push({ kind: 'create-model', ...t, tags: { [TAG_MODEL]: desired.model } });

  const { map, duplicates } = mappedVersions(live);
  for (const [n, list] of duplicates) {
    notes.push(`MLflow versions ${list.join(', ')} all carry ${TAG_VERSION}=${n}: v${n} is MLflow version ${list[0]}; the others are left as they are`);
  }
  const byMlflow = new Map(live.versions.map((v) => [v.version, v]));
  const taken = new Set(map.values());

  // Which MLflow version each git version will be, and how it gets there.
  const creates: DesiredVersion[] = [];
  const adopted = new Map<number, string>();
  const unsynced = new Map<number, string>();
  for (const v of desired.versions) {
    if (map.has(v.version)) continue;
    const origin: VersionOrigin = v.origin ?? { skip: 'its run was not read' };
    if ('skip' in origin) {
      unsynced.set(v.version, origin.skip);
      notes.push(`v${v.version} is not synced: ${origin.skip}`);
      continue;
    }
    const adopt = adoptable(origin, desired.registeredModel, byMlflow, taken);
    if (adopt !== undefined) {
      adopted.set(v.version, adopt);
      taken.add(adopt);
    } else creates.push(v);
  }
  const mlflowOf = (n: number): string | undefined => map.get(n) ?? adopted.get(n);

  // 2. Aliases git does not have, or whose version cannot be synced: deleted first.
  for (const [alias, mv] of Object.entries(live.aliases).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const want = desired.aliases[alias];
    if (want === undefined) actions.push({ kind: 'delete-alias', ...t, alias, mlflowVersion: mv, why: 'git has no such alias' });
    else if (unsynced.has(want)) actions.push({ kind: 'delete-alias', ...t, alias, mlflowVersion: mv, why: `git points it at v${want}, which is not synced` });
  }
  for (const [alias, want] of Object.entries(desired.aliases)) {
    if (reservedAlias(alias)) notes.push(`@${alias} is not set: MLflow reserves the alias name '${alias}'`);
    else if (unsynced.has(want) && desired.versions.some((v) => v.version === want)) notes.push(`@${alias} is not set: v${want} is not synced`);
  }

  // 3. Versions created, their tags in the same request.
  for (const v of creates) {
    const origin = v.origin as Exclude<VersionOrigin, { skip: string }>;
    actions.push({ kind: 'create-version', ...t, version: v.version, source: origin.source, runId: origin.runId, tags: ownTags(v) });
  }

  // 4. Tags of the versions that exist (adopted ones get their version tag first), then stages.
  for (const v of desired.versions) {
    const mv = mlflowOf(v.version);
    if (mv === undefined) continue;
    const tags = byMlflow.get(mv)?.tags ?? {};
    const want = ownTags(v);
    for (const key of OWN_TAGS) {
      const value = want[key];
      if (value !== undefined && tags[key] !== value) {
        actions.push({ kind: 'set-tag', ...t, version: v.version, mlflowVersion: mv, key, value, ...(tags[key] !== undefined ? { was: tags[key] } : {}) });
      } else if (value === undefined && tags[key] !== undefined) {
        actions.push({ kind: 'delete-tag', ...t, version: v.version, mlflowVersion: mv, key, was: tags[key] });
      }
    }
  }
  if (desired.stages) {
    const moves: Extract<SyncAction, { kind: 'set-stage' }>[] = [];
    for (const v of desired.versions) {
      if (unsynced.has(v.version)) continue;
      const mv = mlflowOf(v.version);
      const was = mv === undefined ? 'None' : (byMlflow.get(mv)?.stage ?? 'None');
      if (was !== v.stage) moves.push({ kind: 'set-stage', ...t, version: v.version, ...(mv !== undefined ? { mlflowVersion: mv } : {}), stage: v.stage, was });
    }
    moves.sort((a, b) => STAGE_ORDER[a.stage]! - STAGE_ORDER[b.stage]! || a.version - b.version);
    actions.push(...moves);
  }

  // 5. Aliases set last.
  for (const [alias, want] of Object.entries(desired.aliases).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (reservedAlias(alias) || unsynced.has(want) || !desired.versions.some((v) => v.version === want)) continue;
    const mv = mlflowOf(want);
    const was = live.aliases[alias];
    if (mv !== undefined && was === mv) continue;
    actions.push({ kind: 'set-alias', ...t, alias, version: want, ...(mv !== undefined ? { mlflowVersion: mv } : {}), ...(was !== undefined ? { was } : {}) });
  }
  return { actions, notes };
}

/**
 * Why sync must not write to this registered model, or undefined when it may: it is missing (sync
 * creates it, tagged) or carries TAG_MODEL = the manifest's name. Anything else belongs to
 * someone git has not given it to (an adoption is `import mlflow --commit`, which tags it).
 */
export function ownershipProblem(desired: Pick<DesiredModel, 'model' | 'registeredModel'>, server: Pick<ServerModel, 'exists' | 'tags'>): string | undefined {
  if (!server.exists) return undefined;
  const owner = server.tags?.[TAG_MODEL];
  if (owner === desired.model) return undefined;
  return owner === undefined
    ? `the MLflow registered model '${desired.registeredModel}' exists and carries no ${TAG_MODEL} tag: modelgate did not create it and it was not adopted`
    : `the MLflow registered model '${desired.registeredModel}' is governed by the manifest of '${printable(owner)}' (${TAG_MODEL}=${printable(owner)}), not by ${desired.model}`;
}

/** The tags modelgate owns on a version, as git says they are. */
function ownTags(v: DesiredVersion): Record<string, string> {
  return { [TAG_VERSION]: String(v.version), [TAG_STAGE]: v.stage, ...(v.audit !== undefined ? { [TAG_AUDIT]: v.audit } : {}) };
}

/**
 * A snapshot taken from `models:/<name>/<n>` of this very registered model names the version it
 * came from: that version is adopted (tagged) rather than registered a second time, when it
 * exists, carries no other git version's tag and came from the same run (a version whose run
 * is unknown is not adopted: an empty run_id would let any snapshot claim it).
 */
function adoptable(origin: Exclude<VersionOrigin, { skip: string }>, name: string, byMlflow: Map<string, ServerVersion>, taken: Set<string>): string | undefined {
  const r = origin.registered;
  if (!r || r.name !== name) return undefined;
  const v = byMlflow.get(r.version);
  if (!v || taken.has(v.version) || v.tags[TAG_VERSION] !== undefined) return undefined;
  if (v.runId === undefined || v.runId === '' || v.runId !== origin.runId) return undefined;
  return v.version;
}

/**
 * The server after the actions, as MLflow applies them (the property tests' model of the
 * server, and what each action means). `created` receives the MLflow version of each created
 * git version.
 */
export function applyToServer(server: ServerModel, actions: SyncAction[]): ServerModel {
  const s: ServerModel = { exists: server.exists, tags: { ...server.tags }, versions: server.versions.map((v) => ({ ...v, tags: { ...v.tags } })), aliases: { ...server.aliases } };
  const created = new Map<number, string>();
  const at = (a: AtVersion): ServerVersion => {
    const mv = a.mlflowVersion ?? created.get(a.version);
    const v = s.versions.find((x) => x.version === mv);
    if (!v) throw new Error(`no MLflow version for v${a.version}`);
    return v;
  };
  for (const a of actions) {
    switch (a.kind) {
      case 'create-model':
        s.exists = true;
        s.tags = { ...s.tags, ...a.tags };
        break;
      case 'delete-alias':
        delete s.aliases[a.alias];
        break;
      case 'create-version': {
        const next = String(Math.max(0, ...s.versions.map((v) => Number(v.version))) + 1);
        s.versions.push({ version: next, stage: 'None', runId: a.runId, tags: { ...a.tags } });
        created.set(a.version, next);
        break;
      }
      case 'set-tag':
        at(a).tags[a.key] = a.value;
        break;
      case 'delete-tag':
        delete at(a).tags[a.key];
        break;
      case 'set-stage':
        at(a).stage = a.stage;
        break;
      case 'set-alias':
        s.aliases[a.alias] = at(a).version;
        break;
    }
  }
  return s;
}

/** One line per action, for the report and for "done: …; not done: …". */
export function describeAction(a: SyncAction): string {
  const mv = (x: { mlflowVersion?: string }) => (x.mlflowVersion !== undefined ? ` (MLflow version ${x.mlflowVersion})` : '');
  switch (a.kind) {
    case 'create-model':
      return `create registered model ${a.name}, tagged ${Object.entries(a.tags).map(([k, v]) => `${k}=${v}`).join(', ')}`;
    case 'delete-alias':
      return `delete alias @${a.alias} of ${a.name} (on MLflow version ${a.mlflowVersion}): ${a.why}`;
    case 'create-version':
      return `create the MLflow version of ${a.model} v${a.version} from ${a.source}`;
    case 'set-tag':
      return `set ${a.key}=${short(a.value)} on ${a.model} v${a.version}${mv(a)}${a.was !== undefined ? `, was ${short(a.was)}` : ''}`;
    case 'delete-tag':
      return `delete ${a.key} (${short(a.was)}) from ${a.model} v${a.version}${mv(a)}: git has no such value`;
    case 'set-stage':
      return `move ${a.model} v${a.version}${mv(a)} to stage ${a.stage}, was ${a.was}`;
    case 'set-alias':
      return `point @${a.alias} of ${a.name} at v${a.version}${mv(a)}${a.was !== undefined ? `, was MLflow version ${a.was}` : ', new'}`;
  }
}

/** Audit hashes in one-line descriptions: a prefix is enough to tell them apart (the JSON has them whole). */
function short(value: string): string {
  return /^sha256:[0-9a-f]{64}$/.test(value) ? `${value.slice(0, 19)}…` : value;
}
