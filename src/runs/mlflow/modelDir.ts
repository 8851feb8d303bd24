/**
 * Where an MLflow run's model is, and so where its signature comes from. In order:
 * 1. the manifest's `artifact:` override (a path in the same source; an s3:// override is read
 *    by the artifact checks, not here);
 * 2. `<run>/artifacts/model` when it holds an MLmodel (MLflow's default artifact path), else
 *    `<run>/artifacts/<artifact_path>` of the `mlflow.log-model.history` entry that carries a
 *    signature, else of its last entry (mlflow.evaluate logs a SHAP `explainer` after the model);
 * 3. the single directory under `<run>/artifacts/` holding an `MLmodel`;
 * 4. a 3.x logged model linked from `<run>/outputs/<model_id>/` → `<exp>/models/<model_id>/artifacts`
 *    (of several, the newest with a signature, else the newest);
 * 5. for `mlflow-artifacts:/<path>` artifact URIs (a tracking server), `mlartifacts/<path>` next to
 *    the mlruns root (the server's default artifact store), searched as in 2 and 3.
 * Without any MLmodel, the signature recorded in the history tag is used; else `unavailable`.
 */
import { normalizeRepoPath, isRemoteUri } from '../../storage/paths';
import type { FileSource } from '../../storage/types';
import { parseYaml } from '../../schema/document';
import { parseMlflowSignature, signatureState } from '../signature';
import { childPath, parentPath, readSourceText } from '../sourceText';
import type { SignatureState } from '../types';
import { hasMlmodel, mlmodelSignature } from './mlmodel';
import { MAX_RUN_DIR_ENTRIES } from '../limits';

export const LOG_MODEL_HISTORY_TAG = 'mlflow.log-model.history';

export interface LocatedModel {
  /** The model directory (a path in the source), or the override as given. */
  artifact?: string;
  signature: SignatureState;
}

export interface ModelQuery {
  source: FileSource;
  /** The run directory. */
  ref: string;
  /** The run's `mlflow.log-model.history` tag, when it has one. */
  historyTag: string | undefined;
  artifactUri: string | undefined;
  /** The manifest's `artifact:` override. */
  artifact?: string;
}

type Obj = Record<string, unknown>;

interface History {
  file: string;
  entry?: Obj;
  error?: string;
}

export async function locateMlflowModel(q: ModelQuery): Promise<LocatedModel> {
  const history = readHistory(q);
  const recorded = historySignature(history);
  if (q.artifact !== undefined) return overrideModel(q.source, q.artifact, recorded);

  const notes: string[] = [];
  const artifactPath = safePath(history?.entry?.artifact_path);
  const runArtifacts = childPath(q.ref, 'artifacts');
  const standard = childPath(runArtifacts, 'model');
  let dir = (await hasMlmodel(q.source, standard)) ? standard : await modelUnder(q.source, runArtifacts, artifactPath, notes);
  dir ??= await loggedModel(q.source, q.ref, typeof history?.entry?.model_id === 'string' ? history.entry.model_id : undefined);
  const served = serverArtifacts(q.ref, q.artifactUri);
  if (dir === undefined && served !== undefined) dir = await modelUnder(q.source, served, artifactPath, notes);
  if (dir !== undefined) {
    const signature = await mlmodelSignature(q.source, dir);
    if (signature) return { artifact: dir, signature };
  }
  if (recorded) return { signature: recorded };
  const looked = [`${runArtifacts}/`, ...(q.ref === '' ? [] : ['logged models linked from outputs/']), ...(served ? [`${served}/`] : [])];
  return {
    signature: {
      state: 'unavailable',
      reason: `no MLmodel found for run ${q.source.describe(q.ref)} (looked in ${looked.join(', ')})${notes.length ? `; ${notes.join('; ')}` : ''}; set artifact: to the model directory in the manifest`,
    },
  };
}

/**
 * The model at a manifest's `artifact:` override, for any run format: its MLmodel's signature,
 * else `fallback`, else `unavailable`.
 */
export async function overrideModel(source: FileSource, artifact: string, fallback?: SignatureState): Promise<LocatedModel> {
  if (isRemoteUri(artifact)) {
    return {
      artifact,
      signature: fallback ?? { state: 'unavailable', reason: `the model is at ${artifact}, outside the repository (an S3 MLmodel is read by the caller)` },
    };
  }
  const signature = await mlmodelSignature(source, artifact);
  return { artifact, signature: signature ?? fallback ?? { state: 'unavailable', reason: `no MLmodel file in ${source.describe(artifact)}` } };
}

/** The last entry of `mlflow.log-model.history` (a JSON list of MLmodel dicts). */
function readHistory(q: ModelQuery): History | undefined {
  const raw = q.historyTag;
  if (raw === undefined) return undefined;
  const file = q.source.describe(childPath(q.ref, 'tags', LOG_MODEL_HISTORY_TAG));
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch (err) {
    return { file, error: `tag ${LOG_MODEL_HISTORY_TAG} is not valid JSON (${(err as Error).message})` };
  }
  if (!Array.isArray(list)) return { file, error: `tag ${LOG_MODEL_HISTORY_TAG} is not a JSON list` };
  // The model is the entry that carries a signature (an explainer logged after it has none).
  const signed = [...list].reverse().find((e: unknown) => typeof e === 'object' && e !== null && !Array.isArray(e) && (e as Obj).signature != null);
  const last: unknown = signed ?? list[list.length - 1];
  if (last === undefined) return { file };
  if (typeof last !== 'object' || last === null || Array.isArray(last)) return { file, error: `the last entry of tag ${LOG_MODEL_HISTORY_TAG} is not an object` };
  return { file, entry: last as Obj };
}

function historySignature(h: History | undefined): SignatureState | undefined {
  if (!h) return undefined;
  if (h.error) return { state: 'invalid', source: h.file, error: h.error };
  if (!h.entry) return undefined;
  const sig = h.entry.signature;
  if (sig === undefined || sig === null) return { state: 'absent', source: h.file };
  return signatureState(h.file, () => parseMlflowSignature(sig));
}

/** A run-relative artifact path that stays inside; undefined for URIs (3.x) and anything odd. */
function safePath(p: unknown): string | undefined {
  if (typeof p !== 'string' || p === '') return undefined;
  try {
    return normalizeRepoPath(p);
  } catch {
    return undefined;
  }
}

/** The model directory under an artifact root: the logged path, the root itself, or its single model subdirectory. */
async function modelUnder(source: FileSource, root: string, artifactPath: string | undefined, notes: string[]): Promise<string | undefined> {
  if ((await source.stat(root))?.type !== 'dir') return undefined;
  if (artifactPath !== undefined) {
    const dir = childPath(root, artifactPath);
    if (await hasMlmodel(source, dir)) return dir;
  }
  if (await hasMlmodel(source, root)) return root;
  // Each entry is asked for an MLmodel: a directory past the entry cap is not searched (and an
  // S3 prefix is not paged past it); the signature is then unavailable, which fails closed.
  const names = (await source.list(root, MAX_RUN_DIR_ENTRIES)) ?? [];
  if (names.length > MAX_RUN_DIR_ENTRIES) {
    notes.push(`${source.describe(root)} holds more than ${MAX_RUN_DIR_ENTRIES.toLocaleString('en-US')} entries, too many to search for a model`);
    return undefined;
  }
  const withModel: string[] = [];
  for (const name of names) {
    if (await hasMlmodel(source, childPath(root, name))) withModel.push(name);
  }
  if (withModel.length === 1) return childPath(root, withModel[0]!);
  if (withModel.length > 1) notes.push(`several model directories in ${source.describe(root)} (${withModel.join(', ')})`);
  return undefined;
}

/** MLflow 3.x: `<run>/outputs/<model_id>/` links the run to `<exp>/models/<model_id>/artifacts`. */
async function loggedModel(source: FileSource, ref: string, preferred: string | undefined): Promise<string | undefined> {
  const exp = parentPath(ref);
  if (exp === undefined) return undefined;
  const ids = (await source.list(childPath(ref, 'outputs'))) ?? [];
  const found: { id: string; dir: string }[] = [];
  for (const id of ids) {
    const dir = childPath(exp, 'models', id, 'artifacts');
    if (await hasMlmodel(source, dir)) found.push({ id, dir });
  }
  const hit = found.find((f) => f.id === preferred);
  if (hit) return hit.dir;
  if (found.length <= 1) return found[0]?.dir;
  // Several logged models: a SHAP explainer (mlflow.evaluate) has no signature; the model does.
  const signed: typeof found = [];
  for (const f of found) if ((await mlmodelSignature(source, f.dir))?.state === 'found') signed.push(f);
  if (signed.length === 1) return signed[0]!.dir;
  if (signed.length > 1) found.splice(0, found.length, ...signed);
  // Several logged models: the newest one, as `mlflow.log-model.history` would name it.
  let best = found[found.length - 1]!;
  let bestTime = -Infinity;
  for (const f of found) {
    const t = await createdAt(source, childPath(exp, 'models', f.id, 'meta.yaml'));
    if (t !== undefined && t >= bestTime) {
      best = f;
      bestTime = t;
    }
  }
  return best.dir;
}

async function createdAt(source: FileSource, path: string): Promise<number | undefined> {
  try {
    const text = await readSourceText(source, path);
    const v = text === undefined ? undefined : (parseYaml(text, source.describe(path)).value as Obj | null);
    return typeof v?.creation_timestamp === 'number' ? v.creation_timestamp : undefined;
  } catch {
    return undefined; // a broken logged-model meta only loses the tie-break
  }
}

/**
 * `mlflow-artifacts:/<path>` (or `mlflow-artifacts://host/<path>`) → `mlartifacts/<path>` beside
 * the mlruns root (`<root>/<exp>/<run>`), when the run reference is deep enough to have one.
 */
export function serverArtifacts(ref: string, uri: string | undefined): string | undefined {
  const scheme = 'mlflow-artifacts:';
  if (!uri?.startsWith(scheme)) return undefined;
  let rest = uri.slice(scheme.length);
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    rest = slash === -1 ? '' : rest.slice(slash);
  }
  const path = safePath(rest.replace(/^\/+/, ''));
  const segments = ref === '' ? [] : ref.split('/');
  if (path === undefined || segments.length < 3) return undefined;
  return childPath(segments.slice(0, -3).join('/'), 'mlartifacts', path);
}
