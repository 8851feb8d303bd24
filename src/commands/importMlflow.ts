/**
 * `import mlflow <registered-model> [--as <model>] [--from <mlruns>] [--commit] [--dry-run]`
 * (SPEC sections 5 and 9): adopt an existing MLflow registered model. Writes a new
 * `registry/<model>.yaml` with one version per MLflow version (same numbers), stages and
 * aliases as MLflow has them, and each version's run:
 * - from a tracking server (MLFLOW_TRACKING_URI): snapshotted to `<runs>/<model>/<run_id>.json`
 *   like `register --run models:/…` does, with the artifact and evidence digests;
 * - from a file store committed in the repository (`--from mlruns`): the run directory in
 *   place, with its digests.
 *
 * No audit record is written: the imported manifest is the model's genesis state (SPEC §7,
 * adoption), and its audit log begins with the first decision made after it.
 *
 * Everything is fetched and computed before the first write; the files are then written
 * atomically (all of them, or none), and with --commit committed in one commit. Only after the
 * commit are the `modelgate.version` tags set on the server's versions: a tag failure then is
 * exit 3 naming what is done, and re-running the same command sets the missing tags (it
 * recognises its own committed import and writes no file).
 */
import { createHash } from 'node:crypto';
import { join, resolve as resolvePath } from 'node:path';
import { EnvironmentError, InputError, NotFoundError } from '../errors';
import { MODEL_NAME_PATTERN, type ModelVersion } from '../manifest/types';
import { loadManifest } from '../manifest/load';
import { digestArtifact } from '../artifacts/digest';
import { commitFiles } from '../git/commit';
import { assertModelName, assertPlainLayout, auditPath, manifestPath, readLayout, snapshotPath, type RegistryLayout } from '../repo/registry';
import { GitState } from '../repo/gitState';
import { assertPlainPath } from '../repo/plainPath';
import { WorktreeState } from '../repo/worktree';
import { childPath } from '../runs/sourceText';
import { normalizeRepoPath, printable } from '../storage/paths';
import { writeFileAtomicMkdir, type Written } from '../storage/atomic';
import { importedManifestText, planImport, type ImportPlan } from '../mlflow/importMapping';
import type { MlflowClient, MlflowModelVersion } from '../mlflow/client';
import { TAG_MODEL } from '../mlflow/syncPlan';
import { assertCommitted, takeBack } from './apply';
import { readAuditState } from './auditState';
import { repoRoot } from './repoRoot';
import { openRun, versionEvidence } from './evaluation';
import type { CommonOptions } from './options';
import type { ImportedEntry, ImportOutcome } from '../report/importMlflow';

export interface ImportOptions extends CommonOptions {
  /** The MLflow registered model's name. */
  registeredModel: string;
  /** The manifest's name, when it differs. */
  as?: string;
  /** A repo-relative MLflow file store (the `mlruns` directory) to read instead of a server. */
  from?: string;
  commit?: boolean;
  dryRun?: boolean;
  onProgress?: (text: string) => void;
}

export type { ImportedEntry, ImportOutcome };

/** The server-side tag that maps an MLflow version to its manifest version (SPEC section 9). */
export const VERSION_TAG = 'modelgate.version';

export async function runImport(opts: ImportOptions): Promise<ImportOutcome> {
  if (opts.registeredModel === '') throw new InputError('import mlflow needs the registered model\'s name', { hint: 'usage: modelgate import mlflow <registered-model> [--as <model>]' });
  const model = opts.as ?? opts.registeredModel;
  if (opts.as === undefined && !MODEL_NAME_PATTERN.test(opts.registeredModel)) {
    throw new InputError(`'${printable(opts.registeredModel)}' cannot be a manifest name`, {
      hint: 'manifest names use letters, digits, ., _ and - (at most 128): pass --as <model> to name the manifest (the manifest then says mlflow: {name: ...})',
    });
  }
  assertModelName(model);
  const cur = await readTarget(opts.repo, model);
  const file = manifestPath(cur.layout, model);
  const server = opts.from === undefined ? await connect(opts) : undefined;

  if (cur.manifestText !== undefined) {
    if (server && opts.commit && !opts.dryRun) {
      const resumed = await resumeTagging(opts, server.client, cur.root, cur.work, file, cur.manifestText, model);
      if (resumed) return resumed;
    }
    throw new InputError(`${file} already exists: import never overwrites a manifest`, {
      location: { file },
      hint: `the model '${model}' is governed already; import under another name with --as <model>, or remove ${file} first (a change reviewed like any other)`,
    });
  }
  if (cur.audit) {
    throw new InputError(`${cur.audit.file} exists although ${file} does not: a model of that name had a history here`, {
      hint: 'import under another name with --as <model> (version numbers and records of the old model must not mix with the imported ones)',
    });
  }
  if (opts.commit && !opts.dryRun) await assertCommitted(cur.root, [file, auditPath(cur.layout, model)]);

  const built = server
    ? await fromServer(opts, server.client, cur.work, cur.layout, model)
    : await fromFileStore(opts, cur.work, normalizeRepoPath(opts.from!, '--from'));
  const text = importedManifestText(model, file, built.entries, built.plan, {
    ...(built.description !== undefined ? { description: built.description } : {}),
    mlflowName: opts.registeredModel,
  });
  const outcome: ImportOutcome = {
    model,
    registeredModel: opts.registeredModel,
    source: built.source,
    file,
    versions: built.entries.map(entryOf),
    aliases: built.plan.aliases,
    notes: built.plan.notes,
    written: false,
    snapshots: built.snapshots.map((s) => s.path),
    tagged: [],
  };
  if (opts.dryRun) return outcome;
  // A committed manifest must not point at run files git does not have (or has otherwise).
  if (opts.commit && built.inPlace.length) await assertCommitted(cur.root, built.inPlace);

  // All or nothing: every file lands, or none (a failed write takes back the earlier ones).
  const writes: Written[] = [];
  try {
    // Directories made for the files are taken back with them.
    for (const s of built.snapshots) writes.push(await writeFileAtomicMkdir(join(cur.root, s.path), s.text));
    writes.push(await writeFileAtomicMkdir(join(cur.root, file), text));
  } catch (err) {
    throw await takeBack(cur.root, [], writes, err);
  }
  let commit: string | undefined;
  try {
    if (opts.commit) {
      const files = [file, ...outcome.snapshots];
      commit = await commitFiles(cur.root, { files, message: importMessage(outcome) }).catch(async (err: unknown) => {
        throw await takeBack(cur.root, files, writes, err);
      });
    }
  } finally {
    for (const w of writes) await w.keep();
  }
  const done: ImportOutcome = { ...outcome, written: true, ...(commit ? { commit } : {}) };
  if (server && commit) done.tagged = await tagVersions(server.client, opts.registeredModel, done.versions.map((v) => v.version), done, true);
  return done;
}

interface Target {
  root: string;
  layout: RegistryLayout;
  work: WorktreeState;
  manifestText: string | undefined;
  audit: Awaited<ReturnType<typeof readAuditState>>;
}

/**
 * Where the manifest goes: the layout of the last commit (what the gate will read), or of the
 * working tree in a repository without commits yet (an import may be its first commit: it
 * judges nothing, so it needs no policies).
 */
async function readTarget(repo: string, model: string): Promise<Target> {
  const root = await repoRoot(resolvePath(repo));
  const work = new WorktreeState(root);
  const head = await GitState.open(root, 'HEAD').catch(() => undefined);
  try {
    const layout = await readLayout(head ?? work);
    await assertPlainLayout(work, layout);
    await assertPlainPath(work, manifestPath(layout, model), 'a manifest');
    const manifestText = await work.readText(manifestPath(layout, model));
    const audit = await readAuditState(work, auditPath(layout, model), model);
    return { root, layout, work, manifestText, audit };
  } finally {
    head?.close?.();
  }
}

function entryOf(e: ModelVersion): ImportedEntry {
  return {
    version: e.version,
    stage: e.stage,
    run: e.run,
    ...(e.artifact !== undefined ? { artifact: e.artifact } : {}),
    ...(e.digest !== undefined ? { digest: e.digest } : {}),
    ...(e.evidence !== undefined ? { evidence: e.evidence } : {}),
  };
}

interface Built {
  source: string;
  description?: string;
  plan: ImportPlan;
  entries: ModelVersion[];
  snapshots: { path: string; text: string }[];
  /** Repository paths the manifest references in place (a file store's registry, runs and models). */
  inPlace: string[];
}

// ------------------------------------------------------------------------------------------
// From a tracking server

async function connect(opts: ImportOptions): Promise<{ client: MlflowClient }> {
  if (!opts.env.MLFLOW_TRACKING_URI) {
    throw new InputError('import mlflow reads the registry at MLFLOW_TRACKING_URI, which is not set', {
      hint: 'set MLFLOW_TRACKING_URI to the tracking server (credentials in MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN), or read a file store committed in the repository with --from mlruns',
    });
  }
  const [{ connectionFromEnv }, { createMlflowClient }] = await Promise.all([import('../mlflow/connection'), import('../mlflow/client')]);
  return { client: await createMlflowClient(connectionFromEnv(opts.env)) };
}

/** Every version of a registered model, in version order. */
async function versionsOf(client: MlflowClient, name: string): Promise<MlflowModelVersion[]> {
  // MLflow's filter grammar has no escape for a quote inside a string literal.
  if (name.includes("'")) {
    throw new InputError(`the registered model name '${printable(name)}' contains a quote, which MLflow's search filter cannot express`, { hint: 'rename the registered model in MLflow, or read it from a file store with --from' });
  }
  const versions = await client.searchModelVersions(`name = '${name}'`);
  return versions.sort((a, b) => Number(a.version) - Number(b.version));
}

async function fromServer(opts: ImportOptions, client: MlflowClient, work: WorktreeState, layout: RegistryLayout, model: string): Promise<Built> {
  const name = opts.registeredModel;
  const rm = await client.getRegisteredModel(name);
  if (!rm) {
    throw new NotFoundError(`no registered model '${printable(name)}' on the tracking server ${client.trackingUri}`, {
      hint: 'check the name in the MLflow UI (Models), and that MLFLOW_TRACKING_URI is the server that holds it',
    });
  }
  const owner = rm.tags.find((t) => t.key === TAG_MODEL)?.value;
  if (owner !== undefined && owner !== model) {
    throw new InputError(`the MLflow registered model '${printable(name)}' is governed by the manifest of '${printable(owner)}' already (${TAG_MODEL}=${printable(owner)})`, {
      hint: `a registered model follows one manifest; import it as that model (--as ${printable(owner)}) only if its manifest is gone, after removing the tag ${TAG_MODEL} in MLflow`,
    });
  }
  const listed = await versionsOf(client, name);
  const plan = planImport({
    name,
    ...(rm.description !== undefined ? { description: rm.description } : {}),
    versions: listed.map((v) => ({
      version: v.version,
      ...(v.current_stage !== undefined ? { stage: v.current_stage } : {}),
      ...(v.status !== undefined ? { status: v.status } : {}),
      ...(v.run_id ? { runId: v.run_id } : {}),
    })),
    aliases: rm.aliases,
  });
  const [{ takeSnapshot }, { mlmodelReader }] = await Promise.all([import('../mlflow/snapshot'), import('../mlflow/fromServer')]);
  const readMlmodel = mlmodelReader(client, opts.env);
  const entries: ModelVersion[] = [];
  const snapshots: Built['snapshots'] = [];
  const notes = [...plan.notes];
  const runsSeen = new Set<string>();
  for (const v of plan.versions) {
    const snap = await takeSnapshot(client, { kind: 'version', name, version: String(v.version) }, { now: opts.now, readMlmodel });
    // The run id names a file: it must be the one the (checked) search answered.
    if (snap.runId !== v.runId) {
      throw new EnvironmentError(`MLflow version ${v.version} of '${printable(name)}' names run ${printable(snap.runId)} now, but ${v.runId} a moment ago: the registry changed while it was read`, { hint: 're-run the import; nothing was written' });
    }
    // Two versions of one run (a run that logged two models) get one snapshot each.
    const base = snapshotPath(layout, model, snap.runId);
    const path = runsSeen.has(snap.runId) ? base.replace(/\.json$/, `.v${v.version}.json`) : base;
    runsSeen.add(snap.runId);
    if (await work.stat(path)) {
      throw new InputError(`${path} already exists`, {
        hint: 'a snapshot is never overwritten (it may be a version\'s evidence): remove it if no manifest names it, or import under another name with --as',
      });
    }
    const entry: ModelVersion = { version: v.version, run: path, stage: v.stage };
    const artifact = typeof snap.record.artifact === 'string' ? snap.record.artifact : undefined;
    if (artifact !== undefined) {
      entry.artifact = artifact;
      const d = await digestArtifact(artifact, { repoSource: work, env: opts.env, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
      if (d.exists && d.digest) entry.digest = d.digest;
      else notes.push(`v${v.version}: its model ${printable(artifact)} is gone from the artifact store: imported without an artifact digest`);
    } else {
      notes.push(`v${v.version}: no model with an MLmodel was found for run ${snap.runId}: imported without an artifact`);
    }
    // A portable record's evidence is the file's own digest (SPEC section 6).
    entry.evidence = `sha256:${createHash('sha256').update(snap.text).digest('hex')}`;
    entries.push(entry);
    snapshots.push({ path, text: snap.text });
  }
  return { source: client.trackingUri, ...(rm.description !== undefined ? { description: rm.description } : {}), plan: { ...plan, notes }, entries, snapshots, inPlace: [] };
}

/**
 * After the commit: the registered model's ownership tag (`modelgate.model`, so that `sync`
 * may write to it: the adoption), first, then `modelgate.version` on each version. A failure
 * names what is done (the commit, the tags set) and how to finish: the same command again.
 */
async function tagVersions(client: MlflowClient, name: string, versions: number[], done: ImportOutcome, tagModel: boolean): Promise<number[]> {
  const tagged: number[] = [];
  if (tagModel) {
    try {
      await client.setRegisteredModelTag(name, TAG_MODEL, done.model);
    } catch (err) {
      throw new EnvironmentError(`imported ${done.model} and committed it${done.commit ? ` (${done.commit.slice(0, 12)})` : ''}, but setting the registered-model tag ${TAG_MODEL} on ${printable(name)} failed: ${(err as Error).message}`, {
        hint: `done: ${done.file} and its snapshots are committed; no tag set yet. Re-run the same command (modelgate import mlflow ${printable(name)}${done.model !== name ? ` --as ${done.model}` : ''} --commit): it keeps the committed import and sets only the missing tags`,
        cause: err,
      });
    }
  }
  for (const v of versions) {
    try {
      await client.setModelVersionTag(name, String(v), VERSION_TAG, String(v)); // a version gone since is a refusal: caught below
    } catch (err) {
      const left = versions.filter((x) => !tagged.includes(x));
      throw new EnvironmentError(
        `imported ${done.model} and committed it${done.commit ? ` (${done.commit.slice(0, 12)})` : ''}, but setting the ${VERSION_TAG} tag on MLflow version ${v} failed: ${(err as Error).message}`,
        {
          hint: `done: ${done.file} and its snapshots are committed${tagged.length ? `; tagged ${tagged.map((x) => `v${x}`).join(', ')}` : '; no tag set yet'}. Still to tag: ${left.map((x) => `v${x}`).join(', ')}. Re-run the same command (modelgate import mlflow ${printable(name)}${done.model !== name ? ` --as ${done.model}` : ''} --commit): it keeps the committed import and sets only the missing tags`,
          cause: err,
        },
      );
    }
    tagged.push(v);
  }
  return tagged;
}

/**
 * A re-run after a tag failure: the manifest is this import's own, committed (every version's
 * run is a snapshot of this registered model's version of the same number, from this server).
 * Then only the missing tags are set; anything else is an existing manifest (exit 2).
 */
async function resumeTagging(opts: ImportOptions, client: MlflowClient, root: string, work: WorktreeState, file: string, text: string, model: string): Promise<ImportOutcome | undefined> {
  const manifest = loadManifest(text, file, { singleProduction: false }).manifest;
  if ((manifest.mlflow?.name ?? manifest.name) !== opts.registeredModel || manifest.versions.length === 0) return undefined;
  for (const v of manifest.versions) {
    const snap = await work.readText(v.run).catch(() => undefined);
    if (snap === undefined || !v.run.endsWith('.json')) return undefined;
    let source: { tracking_uri?: unknown; registered_model?: { name?: unknown; version?: unknown } } | undefined;
    try {
      source = (JSON.parse(snap) as { source?: typeof source }).source;
    } catch {
      return undefined;
    }
    if (source?.tracking_uri !== client.trackingUri || source.registered_model?.name !== opts.registeredModel || source.registered_model.version !== String(v.version)) return undefined;
  }
  await assertCommitted(root, [file, ...manifest.versions.map((v) => v.run)]);
  const listed = new Map((await versionsOf(client, opts.registeredModel)).map((v) => [Number(v.version), v]));
  const missing = manifest.versions.filter((v) => listed.get(v.version)?.tags?.find((t) => t.key === VERSION_TAG)?.value !== String(v.version)).map((v) => v.version);
  const rm = await client.getRegisteredModel(opts.registeredModel);
  const owner = rm?.tags.find((t) => t.key === TAG_MODEL)?.value;
  // Another manifest's tag is not ours to overwrite; an import of ours that stopped before the tag is.
  const tagModel = rm !== undefined && owner === undefined;
  if (missing.length === 0 && !tagModel) return undefined; // nothing left to finish: the manifest simply exists
  const outcome: ImportOutcome = {
    model,
    registeredModel: opts.registeredModel,
    source: client.trackingUri,
    file,
    versions: manifest.versions.map(entryOf),
    aliases: manifest.aliases,
    notes: [],
    written: false,
    snapshots: [],
    tagged: [],
    resumed: true,
  };
  outcome.tagged = await tagVersions(client, opts.registeredModel, missing, outcome, tagModel);
  return outcome;
}

// ------------------------------------------------------------------------------------------
// From a file store committed in the repository

async function fromFileStore(opts: ImportOptions, work: WorktreeState, mlruns: string): Promise<Built> {
  const { readFileStoreModel } = await import('../mlflow/fileStoreRegistry');
  const state = await readFileStoreModel(work, mlruns, opts.registeredModel);
  const plan = planImport(state);
  const notes = [...plan.notes];
  const byVersion = new Map(state.versions.map((v) => [Number(v.version), v]));
  const experiments = ((await work.list(mlruns)) ?? []).filter((n) => n !== 'models' && !n.startsWith('.'));
  const entries: ModelVersion[] = [];
  const kept: ImportPlan['versions'] = [];
  for (const v of plan.versions) {
    const run = await runDir(work, mlruns, experiments, v.runId);
    if (run === undefined) {
      notes.push(`v${v.version} left out: its run ${v.runId} is not in ${mlruns}/<experiment>/ (commit the run directory, then import again)`);
      continue;
    }
    const entry: ModelVersion = { version: v.version, run, stage: v.stage };
    const modelId = byVersion.get(v.version)?.modelId;
    // The version's own logged model (MLflow 3) when the store has it; else the run's model.
    const logged = modelId && /^m-[0-9a-f]+$/.test(modelId) ? childPath(dirnameOf(run), 'models', modelId, 'artifacts') : undefined;
    const artifact = logged && (await work.stat(childPath(logged, 'MLmodel')))?.type === 'file' ? logged : (await openRun(work, entry, opts.env)).artifact;
    if (artifact !== undefined) {
      const d = await digestArtifact(artifact, { repoSource: work, env: opts.env, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
      if (d.exists && d.digest) {
        entry.artifact = artifact;
        entry.digest = d.digest;
      } else {
        notes.push(`v${v.version}: its model ${printable(artifact)} is not in the repository: imported without an artifact digest`);
      }
    }
    entry.evidence = (await versionEvidence(work, entry, opts.env)).digest;
    entries.push(entry);
    kept.push(v);
  }
  // Aliases of versions left out here go too (a manifest alias names an existing version).
  const present = new Set(kept.map((v) => v.version));
  const aliases: Record<string, number> = {};
  for (const [a, target] of Object.entries(plan.aliases)) {
    if (present.has(target)) aliases[a] = target;
    else notes.push(`alias @${a} left out: it points at version ${target}, which is not imported`);
  }
  return { source: mlruns, ...(state.description !== undefined ? { description: state.description } : {}), plan: { versions: kept, aliases, notes }, entries, snapshots: [], inPlace: [state.dir, ...entries.flatMap((e) => [e.run, ...(e.artifact !== undefined ? [e.artifact] : [])])] };
}

/** `<mlruns>/<experiment>/<run_id>` holding a meta.yaml; undefined when no experiment has it. */
async function runDir(work: WorktreeState, mlruns: string, experiments: string[], runId: string): Promise<string | undefined> {
  if (!/^[0-9A-Za-z_-]{1,64}$/.test(runId)) return undefined;
  const found: string[] = [];
  for (const exp of experiments) {
    const dir = childPath(mlruns, exp, runId);
    if ((await work.stat(childPath(dir, 'meta.yaml')))?.type === 'file') found.push(dir);
  }
  if (found.length > 1) throw new InputError(`run ${runId} is in more than one experiment of ${mlruns}: ${found.join(', ')}`, { hint: 'remove the copy MLflow does not use, then import again' });
  return found[0];
}

function dirnameOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? '' : path.slice(0, i);
}

// ------------------------------------------------------------------------------------------

/** Subject, what was adopted, the notes, and trailers naming each version (no audit hashes: there are no records). */
export function importMessage(o: ImportOutcome): string {
  const n = o.versions.length;
  const one = (s: string) => printable(s).replace(/\s*[\r\n]+\s*/g, ' ').trim();
  const subject = `modelgate: import ${o.model} from MLflow (${n} version${n === 1 ? '' : 's'})`;
  const body = [
    `Adopted the MLflow registered model '${one(o.registeredModel)}' from ${one(o.source)}: its versions, stages and aliases as MLflow had them.`,
    'No audit records: this manifest is the model\'s genesis state (SPEC section 7); its audit log begins with the next decision.',
  ].join('\n');
  const notes = o.notes.map((x) => ` - ${one(x)}`).join('\n');
  const trailers = [
    ...o.versions.flatMap((v) => [`Modelgate-Model: ${o.model}`, `Modelgate-Version: ${v.version}`, `Modelgate-Transition: new -> ${v.stage}`]),
    `Modelgate-Import: mlflow ${one(o.registeredModel)}`,
  ].join('\n');
  return [subject, body, ...(notes ? [notes] : []), trailers].join('\n\n') + '\n';
}

