/**
 * What `import mlflow` makes of an MLflow registered model (SPEC section 9), as a pure mapping:
 * the registry's state (from a tracking server or a file store's `models/<name>/`) → the
 * versions, stages and aliases of a new manifest, and the notes on what was left out. No I/O:
 * the command adapter fetches the state and the runs, and hands them here.
 *
 * Rules (README "Decisions where the spec is silent"):
 * - one manifest version per MLflow version, same number; stage from `current_stage`
 *   (`None` when unset or "None");
 * - a version that is not READY (PENDING_REGISTRATION, FAILED_REGISTRATION), or names no run
 *   (or a run id that is not one), is left out with a note: there is no model, or no run
 *   metadata, to govern;
 * - an alias pointing at a version left out, or whose name a manifest cannot hold, is left
 *   out with a note;
 * - two versions in Production is an input error: a manifest holds at most one, and which
 *   one serves is the owner's call, not the importer's.
 */
import { stringify } from 'yaml';
import { InputError } from '../errors';
import { ALIAS_NAME_PATTERN, loadManifest } from '../manifest/load';
import { STAGES, type Manifest, type ModelVersion, type Stage } from '../manifest/types';
import { printable } from '../storage/paths';

/** One registered model as an MLflow registry describes it (strings, as MLflow sends them). */
export interface RegistryState {
  name: string;
  description?: string;
  versions: RegistryVersion[];
  aliases: { alias: string; version: string }[];
}

export interface RegistryVersion {
  version: string;
  /** `current_stage`; undefined or "None" when the version has none. */
  stage?: string;
  /** READY, PENDING_REGISTRATION or FAILED_REGISTRATION; undefined (old servers) counts as READY. */
  status?: string;
  runId?: string;
}

export interface ImportedVersion {
  version: number;
  stage: Stage;
  runId: string;
}

export interface ImportPlan {
  versions: ImportedVersion[];
  aliases: Record<string, number>;
  /** One line per version or alias left out, saying why. */
  notes: string[];
}

const VERSION_PATTERN = /^[1-9][0-9]{0,8}$/;
/** MLflow run ids: 32 hex digits (older stores and other backends: letters, digits, _ and -). */
const RUN_ID_PATTERN = /^[0-9A-Za-z_-]{1,64}$/;

export function planImport(state: RegistryState): ImportPlan {
  const notes: string[] = [];
  const versions: ImportedVersion[] = [];
  const seen = new Set<number>();
  for (const v of [...state.versions].sort((a, b) => Number(a.version) - Number(b.version))) {
    if (!VERSION_PATTERN.test(v.version)) {
      throw new InputError(`MLflow version '${printable(v.version)}' of '${printable(state.name)}' is not a positive whole number`, { hint: 'modelgate keeps MLflow\'s version numbers; this registry answered something else' });
    }
    const version = Number(v.version);
    if (seen.has(version)) throw new InputError(`MLflow listed version ${version} of '${printable(state.name)}' twice`, { hint: 're-run: the registry changed while it was read' });
    seen.add(version);
    const status = v.status === undefined || v.status === '' ? 'READY' : v.status;
    if (status !== 'READY') {
      notes.push(`v${version} left out: its status is ${printable(status)}, not READY (it has no model to govern; import again once MLflow has finished or deleted it)`);
      continue;
    }
    if (!v.runId) {
      notes.push(`v${version} left out: it names no run, so it has no run metadata to snapshot (register its model with modelgate register --run instead)`);
      continue;
    }
    // The run id becomes a file name (`<runs>/<model>/<run_id>.json`): what a registry answers is not trusted as a path.
    if (!RUN_ID_PATTERN.test(v.runId)) {
      notes.push(`v${version} left out: its run id '${printable(v.runId)}' is not an MLflow run id`);
      continue;
    }
    versions.push({ version, stage: mlflowStage(v.stage, version), runId: v.runId });
  }
  const production = versions.filter((v) => v.stage === 'Production').map((v) => `v${v.version}`);
  if (production.length > 1) {
    throw new InputError(`'${printable(state.name)}' has ${production.length} versions in Production in MLflow (${production.join(', ')}); a manifest holds at most one`, {
      hint: 'move all but the serving one to Archived in MLflow (transition-stage), then import again',
    });
  }
  const kept = new Set(versions.map((v) => v.version));
  const aliases: Record<string, number> = {};
  for (const a of [...state.aliases].sort((x, y) => (x.alias < y.alias ? -1 : x.alias > y.alias ? 1 : 0))) {
    const target = VERSION_PATTERN.test(a.version) ? Number(a.version) : undefined;
    if (!ALIAS_NAME_PATTERN.test(a.alias)) {
      notes.push(`alias '${printable(a.alias)}' left out: manifest aliases use letters, digits, _ and - (at most 64)`);
    } else if (target === undefined || !kept.has(target)) {
      notes.push(`alias @${a.alias} left out: it points at version ${printable(a.version)}, which is not imported`);
    } else {
      Object.defineProperty(aliases, a.alias, { value: target, enumerable: true, writable: true, configurable: true });
    }
  }
  return { versions, aliases, notes };
}

/** MLflow's (deprecated) stage → the manifest's; unset is None. */
export function mlflowStage(stage: string | undefined, version: number): Stage {
  if (stage === undefined || stage === '') return 'None';
  const exact = STAGES.find((s) => s === stage) ?? STAGES.find((s) => s.toLowerCase() === stage.toLowerCase());
  if (exact) return exact;
  throw new InputError(`MLflow version ${version} is in stage '${printable(stage)}', which is not an MLflow stage`, { hint: `MLflow stages are ${STAGES.join(', ')}` });
}

/**
 * The manifest text of an import: keys in the canonical order (versions: version, run,
 * artifact, digest, evidence, stage), checked by loading it back.
 */
export function importedManifestText(model: string, file: string, entries: ModelVersion[], plan: Pick<ImportPlan, 'aliases'>, opts: { description?: string; mlflowName?: string } = {}): string {
  const doc: Record<string, unknown> = {
    apiVersion: 'modelgate/v1',
    kind: 'Model',
    name: model,
    ...(opts.description !== undefined ? { description: opts.description } : {}),
    ...(opts.mlflowName !== undefined && opts.mlflowName !== model ? { mlflow: { name: opts.mlflowName } } : {}),
    versions: entries.map((e) => ({
      version: e.version,
      run: e.run,
      ...(e.artifact !== undefined ? { artifact: e.artifact } : {}),
      ...(e.digest !== undefined ? { digest: e.digest } : {}),
      ...(e.evidence !== undefined ? { evidence: e.evidence } : {}),
      stage: e.stage,
    })),
    ...(Object.keys(plan.aliases).length ? { aliases: { ...plan.aliases } } : {}),
  };
  const text = `# Imported from the MLflow Model Registry by \`modelgate import mlflow\`.\n${stringify(doc, { version: '1.2', lineWidth: 0 })}`;
  // What is written is what was meant: a manifest that would not load is a bug, never a file.
  const back: Manifest = loadManifest(text, file, { singleProduction: true }).manifest;
  if (back.versions.length !== entries.length) throw new Error(`importedManifestText: ${file} did not load back as written`);
  return text;
}
