/**
 * `sync mlflow [<model>] [--dry-run]` (SPEC section 9): make the MLflow Model Registry at
 * MLFLOW_TRACKING_URI follow git. The adapter around the pure planner (mlflow/syncPlan.ts):
 * it reads the registry as the checkout holds it (manifests, audit heads, and the snapshots of
 * versions MLflow does not have yet: only those), reads each registered model from the server,
 * plans every model before writing anything (so an input error writes nothing), then writes.
 */
import { resolve as resolvePath } from 'node:path';
import runSchema from '../../schemas/run.schema.json';
import { EnvironmentError, InputError, InputErrors, NotFoundError } from '../errors';
import { WorktreeState } from '../repo/worktree';
import { assertModelName, auditPath, listModels, readLayout, readManifest, type RegistryLayout } from '../repo/registry';
import type { RepoState } from '../repo/types';
import type { LoadedManifest, ModelVersion } from '../manifest/types';
import { readLines } from '../audit/log';
import { verifyChainStream } from '../audit/chain';
import { assertPlainPath } from '../repo/plainPath';
import { parseJson } from '../schema/document';
import { schemaErrors, type JsonSchema } from '../schema/validate';
import { isRemoteUri, normalizeRepoPath, printable } from '../storage/paths';
import { readSourceText } from '../runs/sourceText';
import { connectionFromEnv, type MlflowConnection } from '../mlflow/connection';
import { describeAction, ownershipProblem, planSync, TAG_MODEL, unmappedVersions, type DesiredModel, type SyncAction, type VersionOrigin } from '../mlflow/syncPlan';
import type { MlflowClient } from '../mlflow/client';
import { executeActions, readServerModel, SyncStopped } from '../mlflow/syncServer';
import type { CommonOptions } from './options';
import type { Outcome } from './outcome';
import type { ActionStatus, SyncActionView, SyncOutcome } from '../report/sync';

export type { SyncOutcome };

export interface SyncOptions extends CommonOptions {
  /** These models; all of the registry's when absent. */
  models?: string[];
  dryRun: boolean;
}

/** A sync as the command outcome (exitCodeOf): a dry run that finds differences is a deny (exit 1). A sync that stopped part-way throws SyncIncomplete (exit 3). */
export function syncOutcome(o: SyncOutcome): Outcome {
  return { decision: o.dryRun && o.models.some((m) => m.actions.length > 0) ? 'deny' : 'allow' };
}

export async function runSync(opts: SyncOptions): Promise<SyncOutcome> {
  const conn = syncConnection(opts.env);
  const state = new WorktreeState(resolvePath(opts.repo));
  const layout = await readLayout(state);
  for (const name of opts.models ?? []) assertModelName(name);
  const names = opts.models !== undefined ? [...new Set(opts.models)].sort() : await listModels(state, layout);
  const manifests: LoadedManifest[] = [];
  for (const name of names) {
    const m = await readManifest(state, layout, name);
    if (!m) throw new InputError(`no model named '${name}'`, { hint: `models live in ${layout.registry}/<model>.yaml; run \`modelgate status\` to list them` });
    manifests.push(m);
  }
  assertDistinctNames(manifests);

  const { createMlflowClient } = await import('../mlflow/client');
  const client = await createMlflowClient(conn);
  const planned: { desired: DesiredModel; actions: SyncAction[]; notes: string[] }[] = [];
  const refused: InputError[] = [];
  for (const m of manifests) {
    const desired = await desiredModel(state, layout, m);
    const server = await readServerModel(client, desired.registeredModel);
    const problem = ownershipProblem(desired, server);
    if (problem !== undefined) {
      refused.push(notOwned(m, desired, problem));
      continue;
    }
    // Snapshots are read only for versions MLflow lacks: a sync with nothing new reads none.
    const lacking = new Set(unmappedVersions(desired, server));
    for (const v of desired.versions) {
      if (lacking.has(v.version)) v.origin = await originOf(state, m.manifest.versions.find((x) => x.version === v.version)!, client);
    }
    planned.push({ desired, ...planSync(desired, server) });
  }
  // Every model is planned before anything is written: one refused model stops the whole sync (dry run included).
  if (refused.length) throw refused.length === 1 ? refused[0]! : new InputErrors(refused);

  const views = planned.map((p) => ({ model: p.desired.model, registeredModel: p.desired.registeredModel, notes: p.notes, actions: p.actions.map((a) => view(a, 'pending')) }));
  const outcome: SyncOutcome = { trackingUri: conn.trackingUri, dryRun: opts.dryRun, models: views };
  if (opts.dryRun) return outcome;
  for (const [i, p] of planned.entries()) {
    let n = 0;
    try {
      await executeActions(client, p.actions, (_a, createdAs) => {
        const v = views[i]!.actions[n++]!;
        v.status = 'done';
        if (createdAs !== undefined) v.mlflowVersion = createdAs;
      });
    } catch (err) {
      if (!(err instanceof SyncStopped)) throw err;
      for (const later of views.slice(i)) for (const a of later.actions) if (a.status === 'pending') a.status = 'not-done';
      outcome.error = err.message;
      throw new SyncIncomplete(outcome, err);
    }
  }
  return outcome;
}

/** The sync stopped part-way (exit 3): the message names what is done and what is not. */
export class SyncIncomplete extends EnvironmentError {
  constructor(
    readonly outcome: SyncOutcome,
    reason: EnvironmentError,
  ) {
    const all = outcome.models.flatMap((m) => m.actions);
    const list = (s: ActionStatus) => {
      const items = all.filter((a) => a.status === s).map((a) => a.description);
      const shown = items.slice(0, MAX_LISTED);
      return items.length === 0 ? 'nothing' : shown.join(', ') + (items.length > shown.length ? ` and ${items.length - shown.length} more` : '');
    };
    super(`sync mlflow stopped part-way: ${reason.message}. done: ${list('done')}; not done: ${list('not-done')}`, {
      hint: `re-run \`modelgate sync mlflow\`: it completes what is not done (what is done is not written again)${reason.hint ? `; ${reason.hint}` : ''}`,
      cause: reason,
    });
  }
}

const MAX_LISTED = 20;

/** MLFLOW_TRACKING_URI is required (exit 2 with a hint when missing); credentials as for register. */
function syncConnection(env: Record<string, string | undefined>): MlflowConnection {
  if (!env.MLFLOW_TRACKING_URI) {
    throw new InputError('sync mlflow needs MLFLOW_TRACKING_URI: the MLflow tracking server whose Model Registry follows git', {
      hint: 'set MLFLOW_TRACKING_URI (e.g. https://mlflow.example.com) and its credentials (MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN), then re-run',
    });
  }
  return connectionFromEnv(env);
}

/** Two manifests naming one registered model would fight over its aliases: an input error. */
function assertDistinctNames(manifests: LoadedManifest[]): void {
  const seen = new Map<string, string>();
  const errors: InputError[] = [];
  for (const m of manifests) {
    const name = registeredName(m);
    const other = seen.get(name);
    if (other !== undefined) {
      errors.push(
        new InputError(`${m.file} and the manifest of ${other} both sync to the MLflow registered model '${name}'`, {
          location: { file: m.file },
          hint: 'give one of them its own name in MLflow: mlflow: {name: <other>}',
        }),
      );
    } else seen.set(name, m.manifest.name);
  }
  if (errors.length) throw errors.length === 1 ? errors[0]! : new InputErrors(errors);
}

/** A registered model this manifest does not own (a redirect by mlflow.name, or a name clash): exit 2, nothing written. */
function notOwned(m: LoadedManifest, desired: DesiredModel, problem: string): InputError {
  const as = desired.registeredModel !== desired.model ? ` --as ${desired.model}` : '';
  return new InputError(`${m.file}: sync refuses ${desired.model}: ${problem}`, {
    location: { file: m.file },
    hint: `adopt it with \`modelgate import mlflow ${desired.registeredModel}${as} --commit\` (which tags it), or set the registered-model tag ${TAG_MODEL}=${desired.model} in MLflow; or give the manifest its own MLflow name (mlflow: {name: <other>}). Nothing was written.`,
  });
}

function registeredName(m: LoadedManifest): string {
  return m.manifest.mlflow?.name ?? m.manifest.name;
}

async function desiredModel(state: RepoState, layout: RegistryLayout, m: LoadedManifest): Promise<DesiredModel> {
  const heads = await auditHeads(state, auditPath(layout, m.manifest.name), m.manifest.name);
  return {
    model: m.manifest.name,
    registeredModel: registeredName(m),
    versions: m.manifest.versions.map((v) => ({ version: v.version, stage: v.stage, ...(heads.has(v.version) ? { audit: heads.get(v.version)! } : {}) })),
    aliases: { ...m.manifest.aliases },
    stages: layout.mlflow?.stages === true,
  };
}

/**
 * The hash of each version's latest audit record (its `modelgate.audit` tag), in one streaming
 * pass. A log whose chain is broken is not mirrored: the tags would vouch for records that do
 * not verify.
 */
async function auditHeads(state: RepoState, file: string, model: string): Promise<Map<number, string>> {
  const heads = new Map<number, string>();
  await assertPlainPath(state, file, 'an audit log');
  if (!(await state.stat(file))) return heads;
  const { problems } = await verifyChainStream(readLines(await state.openStream(file)), model, state.describe(file), (r) => heads.set(r.version, r.hash));
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new InputError(`the audit log of ${model} does not verify${first.line !== undefined ? ` (line ${first.line})` : ''}: ${first.message}`, {
      location: { file, ...(first.line !== undefined ? { line: first.line } : {}) },
      hint: 'run `modelgate audit verify` and restore the log from git history; sync mirrors only a log that verifies. Nothing was written.',
    });
  }
  return heads;
}

const RUN_SCHEMA = runSchema as JsonSchema;

interface SnapshotSource {
  tracker: string;
  tracking_uri: string;
  run_id: string;
  model_id?: string;
  registered_model?: { name: string; version: string };
}

/**
 * How a version MLflow lacks gets created: from its snapshot (SPEC section 9). A run that is
 * not a snapshot of this server is skipped with a note; a snapshot that does not parse is an
 * input error like anywhere else.
 */
async function originOf(state: RepoState, v: ModelVersion, client: MlflowClient): Promise<VersionOrigin> {
  const trackingUri = client.trackingUri;
  const notSnapshot: VersionOrigin = { skip: `its run ${printable(v.run)} is not an MLflow snapshot (register --run runs:/<id> or models:/<name>/<n> takes one)` };
  if (isRemoteUri(v.run) || !v.run.endsWith('.json')) return notSnapshot;
  const path = normalizeRepoPath(v.run, 'run');
  const text = await readSourceText(state, path);
  if (text === undefined) throw new NotFoundError(`run ${state.describe(path)} of v${v.version} not found`, { hint: 'check the run: path in the manifest (relative to the repository root)' });
  const doc = parseJson(text, state.describe(path));
  const errors = schemaErrors(RUN_SCHEMA, doc);
  if (errors.length) throw errors.length === 1 ? errors[0]! : new InputErrors(errors);
  const rec = doc.value as { artifact?: string; source?: SnapshotSource };
  const src = rec.source;
  if (!src || src.tracker !== 'mlflow') return notSnapshot;
  const from = src.tracking_uri.replace(/\/+$/, '');
  if (from !== trackingUri) return { skip: `its snapshot comes from ${printable(from)}, not from MLFLOW_TRACKING_URI (${trackingUri})` };
  const artifact = v.artifact ?? rec.artifact;
  if (src.model_id) {
    const forged = await loggedModelMismatch(client, src.model_id, src.run_id, artifact);
    if (forged !== undefined) return { skip: forged };
  } else if (artifact !== undefined && !isRemoteUri(artifact)) {
    // A repository path means nothing to MLflow (and would name a path on the server's side).
    return { skip: `its artifact ${printable(artifact)} is a repository path, not a URI MLflow can register (s3:// or mlflow-artifacts:/)` };
  }
  const source = modelSource(src, artifact);
  if (source === undefined) return { skip: `its snapshot ${state.describe(path)} names no model (no model_id, no artifact)` };
  return { source, runId: src.run_id, ...(src.registered_model ? { registered: { name: src.registered_model.name, version: src.registered_model.version } } : {}) };
}

/**
 * A snapshot's model_id is not covered by its evidence check (a PR can copy a snapshot and change
 * it): before a version is created from `models:/<id>`, the logged model must exist on this
 * server, come from the snapshot's run and, when an artifact is named, live there. Why not, or undefined.
 */
async function loggedModelMismatch(client: MlflowClient, modelId: string, runId: string, artifact: string | undefined): Promise<string | undefined> {
  const lm = await client.getLoggedModel(modelId);
  const id = printable(modelId);
  if (!lm) return `its snapshot's model_id ${id} is not a logged model on ${client.trackingUri}`;
  if (!runId || lm.source_run_id !== runId) return `its snapshot's model_id ${id} was logged by run ${printable(lm.source_run_id ?? '(none)')}, not by the snapshot's run ${printable(runId || '(none)')}`;
  const trim = (u: string) => u.replace(/\/+$/, '');
  if (artifact !== undefined && trim(lm.artifact_uri) !== trim(artifact)) {
    return `its artifact ${printable(artifact)} is not the artifact of logged model ${id} (${printable(lm.artifact_uri)})`;
  }
  return undefined;
}

/** `models:/m-…` (MLflow 3), else `runs:/<run_id>/<path>` when the artifact lies in the run's artifact root, else the artifact URI. */
export function modelSource(src: Pick<SnapshotSource, 'run_id' | 'model_id'>, artifact: string | undefined): string | undefined {
  if (src.model_id) return `models:/${src.model_id}`;
  if (artifact === undefined) return undefined;
  const marker = `/${src.run_id}/artifacts/`;
  const at = artifact.indexOf(marker);
  if (at >= 0) {
    const rel = artifact.slice(at + marker.length).replace(/\/+$/, '');
    if (rel !== '') return `runs:/${src.run_id}/${rel}`;
  }
  return artifact;
}

function view(a: SyncAction, status: ActionStatus): SyncActionView {
  return {
    kind: a.kind,
    status,
    description: describeAction(a),
    ...('alias' in a ? { alias: a.alias } : {}),
    ...('version' in a ? { version: a.version } : {}),
    ...('mlflowVersion' in a && a.mlflowVersion !== undefined ? { mlflowVersion: a.mlflowVersion } : {}),
    ...('key' in a ? { key: a.key } : {}),
    ...('value' in a ? { value: a.value } : {}),
    ...('stage' in a ? { stage: a.stage } : {}),
    ...('was' in a && a.was !== undefined ? { was: a.was } : {}),
  };
}
