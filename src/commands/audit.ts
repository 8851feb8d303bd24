/**
 * `audit [<model>]` prints the transition history; `audit verify` proves it (SPEC section 7):
 * chain intact, logs only appended along first-parent history, replay equal to the manifests,
 * every committed stage or alias change covered by a record, and every record's source commit
 * still in history (a force-push that rewrote it is named).
 */
import { resolve as resolvePath } from 'node:path';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AuditRecord } from '../audit/types';
import type { Manifest } from '../manifest/types';
import type { VerifyProblem } from '../report/audit';
import { parseRecordLine, readLines } from '../audit/log';
import { compareWithManifest } from '../audit/replay';
import { deriveTransitions } from '../transitions/derive';
import { loadManifest } from '../manifest/load';
import { EnvironmentError, InputError } from '../errors';
import { git } from '../git/exec';
import { changesTouching, commitsTouching, manifestAt, type FileChanges } from '../repo/history';
import { WorktreeState } from '../repo/worktree';
import { GitObjects } from '../repo/gitState';
import { assertModelName, auditPath, listModels, manifestPath, readLayout, readManifest, type RegistryLayout } from '../repo/registry';
import { readAuditState } from './auditState';
import { versionEvidence } from './evaluation';
import { assertPlainPath } from '../repo/plainPath';
import { repoRoot } from './repoRoot';
import type { CommonOptions } from './options';

export async function runAuditHistory(opts: CommonOptions & { model?: string }): Promise<AuditRecord[]> {
  const state = new WorktreeState(resolvePath(opts.repo));
  const layout = await readLayout(state);
  const models = opts.model ? [opts.model] : await auditedModels(state, layout);
  if (opts.model) {
    assertModelName(opts.model);
    if (!(await state.stat(auditPath(layout, opts.model))) && !(await state.stat(manifestPath(layout, opts.model)))) {
      throw new InputError(`no model named '${opts.model}'`, { hint: 'run `modelgate status` to list models' });
    }
  }
  const out: AuditRecord[] = [];
  for (const model of models) {
    const file = auditPath(layout, model);
    await assertPlainPath(state, file, 'an audit log');
    if (!(await state.stat(file))) continue;
    let n = 0;
    for await (const line of readLines(await state.openStream(file))) {
      n++;
      if (line.trim() === '') continue;
      out.push(parseRecordLine(line, file, n));
    }
  }
  return out.sort((a, b) => a.time.localeCompare(b.time) || a.model.localeCompare(b.model) || a.seq - b.seq);
}

async function auditedModels(state: WorktreeState, layout: RegistryLayout): Promise<string[]> {
  await assertPlainPath(state, layout.audit, 'the audit directory');
  const logs = ((await state.list(layout.audit)) ?? []).filter((n) => n.endsWith('.jsonl')).map((n) => n.slice(0, -'.jsonl'.length));
  return [...new Set([...logs, ...(await listModels(state, layout))])].sort();
}

export interface VerifyOutcome {
  models: number;
  records: number;
  problems: VerifyProblem[];
}

export async function runAuditVerify(opts: CommonOptions & { model?: string }): Promise<VerifyOutcome> {
  const root = await repoRoot(resolvePath(opts.repo));
  const state = new WorktreeState(root);
  const layout = await readLayout(state);
  const models = opts.model ? [opts.model] : await auditedModels(state, layout);
  // History is asked of git once for all models, not 5-10 processes per model: the first-parent
  // commits touching the registry or the audit logs (with the files each changed), the commits
  // of HEAD, and blobs through one `git cat-file --batch` (per thread).
  const history = await changesTouching(root, [layout.audit, layout.registry]);
  const reachable = (await git(['rev-list', 'HEAD'], { cwd: root, allowFail: true })).stdout.split('\n').filter(Boolean);
  const shared: ShardInput = { root, layout, models, history: history.map((c) => ({ sha: c.sha, files: [...c.files] })), reachable };
  const workers = verifyThreads(models.length, opts.env);
  const verdicts = workers > 1 ? await verifyInWorkers(shared, workers) : await verifyShard(shared);
  return {
    models: models.length,
    records: verdicts.reduce((n, v) => n + v.records, 0),
    problems: verdicts.flatMap((v) => v.problems),
  };
}

/** What a thread needs to verify some models: plain data, so it can cross to a worker. */
export interface ShardInput {
  root: string;
  layout: RegistryLayout;
  models: string[];
  history: { sha: string; files: string[] }[];
  reachable: string[];
}

export interface ModelVerdict {
  records: number;
  problems: VerifyProblem[];
}

interface VerifyContext {
  state: WorktreeState;
  layout: RegistryLayout;
  history: FileChanges[];
  reachable: Set<string>;
  objects: GitObjects;
}

/** Verifies the shard's models one after another, in this thread; one verdict per model, in order. */
export async function verifyShard(input: ShardInput): Promise<ModelVerdict[]> {
  const ctx: VerifyContext = {
    state: new WorktreeState(input.root),
    layout: input.layout,
    history: input.history.map((c) => ({ sha: c.sha, files: new Set(c.files) })),
    reachable: new Set(input.reachable),
    objects: new GitObjects(input.root),
  };
  try {
    const out: ModelVerdict[] = [];
    for (const model of input.models) out.push(await verifyModel(ctx, model));
    return out;
  } finally {
    ctx.objects.close();
  }
}

/** SPEC §7's five checks for one model. */
async function verifyModel(ctx: VerifyContext, model: string): Promise<ModelVerdict> {
  const { state, layout, history, objects } = ctx;
  const problems: VerifyProblem[] = [];
  const file = auditPath(layout, model);
  const audit = await readAuditState(state, file, model);
  if (!audit) {
    // A model without a log has not adopted the audit trail yet; its pinned evidence still counts.
    const manifest = await readManifest(state, layout, model, { singleProduction: false }).catch(() => undefined);
    if (manifest) problems.push(...(await evidenceProblems(state, model, manifest.manifest)));
    return { records: 0, problems };
  }
  for (const p of audit.problems) problems.push({ model, ...(p.seq !== undefined ? { seq: p.seq } : {}), ...(p.line !== undefined ? { line: p.line } : {}), message: p.message });
  const manifest = await readManifest(state, layout, model, { singleProduction: false }).catch((e: Error) => {
    problems.push({ model, message: `manifest unreadable: ${e.message}` });
    return undefined;
  });
  const mfile = manifestPath(layout, model);
  const logCommits = history.filter((c) => c.files.has(file)).map((c) => c.sha);
  const adoption = logCommits[0];
  const genesis = adoption ? await manifestFrom(objects, `${adoption}^`, mfile) : undefined;
  if (manifest) {
    for (const m of compareWithManifest(audit.replay, manifest.manifest, genesis)) problems.push({ model, message: m });
    problems.push(...(await evidenceProblems(state, model, manifest.manifest)));
  }
  problems.push(...(await appendOnly(objects, model, file, logCommits)));
  if (adoption) problems.push(...(await coverage(objects, history, model, mfile, file, adoption, audit.sourceCommits)));
  for (const sha of audit.sourceCommits) {
    if (ctx.reachable.has(sha) || (sha.length < 40 && [...ctx.reachable].some((r) => r.startsWith(sha)))) continue;
    problems.push({ model, commit: sha, message: `a record names commit ${sha.slice(0, 12)}, which is not in the history of HEAD (history rewritten?)` });
  }
  return { records: audit.count, problems };
}

/**
 * SPEC section 6: every version that pins an `evidence` digest still hashes to it; each version
 * whose evidence changed is named. A run that cannot be read is a problem too (its evidence is
 * gone); an unreachable store is an environment failure (exit 3).
 */
async function evidenceProblems(state: WorktreeState, model: string, manifest: Manifest): Promise<VerifyProblem[]> {
  const out: VerifyProblem[] = [];
  for (const v of manifest.versions) {
    if (!v.evidence) continue;
    try {
      const now = await versionEvidence(state, v, process.env);
      if (now.digest !== v.evidence) out.push({ model, message: `v${v.version}: its evidence changed: the files of run ${v.run} hash to ${now.digest}, the manifest pins ${v.evidence}` });
    } catch (err) {
      if (err instanceof EnvironmentError) throw err;
      out.push({ model, message: `v${v.version}: its evidence could not be recomputed: ${(err as Error).message}` });
    }
  }
  return out;
}

/**
 * Verifying a registry reads every record of every model, so it is the one command whose cost
 * grows with the registry: large registries use every core. MODELGATE_VERIFY_THREADS sets the
 * count (1: one thread). Worker threads need the bundled worker script; run from source
 * (tests of the core), verification stays in this thread.
 */
const MODELS_PER_THREAD = 32;

function verifyThreads(models: number, env: Record<string, string | undefined>): number {
  if (!workerScript()) return 1;
  const asked = Number(env.MODELGATE_VERIFY_THREADS);
  if (env.MODELGATE_VERIFY_THREADS !== undefined && Number.isInteger(asked) && asked >= 1) return Math.min(asked, models);
  return Math.max(1, Math.min(availableParallelism(), 8, Math.floor(models / MODELS_PER_THREAD)));
}

/** dist/audit-verify-worker.js, beside cli.js (this code runs from cli.js or dist/chunks/). */
function workerScript(): URL | undefined {
  for (const rel of ['./audit-verify-worker.js', '../audit-verify-worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(url)) return url;
  }
  return undefined;
}

/** Deals the models round-robin to `threads` workers; verdicts come back in model order. */
async function verifyInWorkers(input: ShardInput, threads: number): Promise<ModelVerdict[]> {
  const shards = Array.from({ length: threads }, (_, i) => input.models.filter((_, j) => j % threads === i));
  const results = await Promise.all(shards.map((models) => runWorker(workerScript()!, { ...input, models })));
  return input.models.map((_, j) => results[j % threads]![Math.floor(j / threads)]!);
}

function runWorker(script: URL, input: ShardInput): Promise<ModelVerdict[]> {
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(script, { workerData: input });
    let settled = false;
    worker.once('message', (m: WorkerAnswer) => {
      settled = true;
      if (m.ok) resolvePromise(m.verdicts);
      else reject(m.exitCode === 2 ? new InputError(m.message, { hint: m.hint }) : new EnvironmentError(m.message, { hint: m.hint }));
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new EnvironmentError(`an audit verification thread stopped (exit ${code}) before answering`));
    });
  });
}

/** What a worker posts back: its verdicts, or the user-facing error it met. */
export type WorkerAnswer = { ok: true; verdicts: ModelVerdict[] } | { ok: false; exitCode: 2 | 3; message: string; hint?: string };

/** The manifest at `rev:path` read through the batch reader; undefined when missing or unreadable. */
async function manifestFrom(objects: GitObjects, rev: string, path: string): Promise<Manifest | undefined> {
  const bytes = await objects.read(rev, path);
  if (bytes === undefined) return undefined;
  try {
    return loadManifest(bytes.toString('utf8'), path, { singleProduction: false }).manifest;
  } catch {
    return undefined;
  }
}

/**
 * The manifest as it stood before the commit that first added the model's audit log: its
 * genesis state (SPEC §7, adoption), which versions without records must still show.
 */
export async function genesisOf(root: string, layout: RegistryLayout, model: string): Promise<Manifest | undefined> {
  const history = await logHistory(root, auditPath(layout, model));
  if (!history.adoption) return undefined;
  const then = await manifestAt(root, `${history.adoption}^`, manifestPath(layout, model));
  return then.kind === 'manifest' ? then.manifest : undefined;
}

/** First-parent commits (oldest first) that changed the log; the first one is the adoption. */
async function logHistory(root: string, file: string): Promise<{ commits: string[]; adoption: string | undefined }> {
  const commits = (await commitsTouching(root, [file])).map((c) => c.sha);
  return { commits, adoption: commits[0] };
}

/** Each committed version of the log is a prefix of the next. */
async function appendOnly(objects: GitObjects, model: string, file: string, commits: string[]): Promise<VerifyProblem[]> {
  const out: VerifyProblem[] = [];
  // A log committed once has nothing to be a prefix of: reading it would cost a whole log for no check.
  if (commits.length < 2) return out;
  let prev: Buffer | undefined;
  for (const c of commits) {
    const bytes = (await objects.read(c, file)) ?? Buffer.alloc(0);
    if (prev !== undefined && (bytes.length < prev.length || !bytes.subarray(0, prev.length).equals(prev))) {
      out.push({ model, commit: c, message: `commit ${c.slice(0, 12)} rewrote ${file} instead of appending to it` });
    }
    prev = bytes;
  }
  return out;
}

/** Every stage or alias change of the manifest after adoption has its record. */
async function coverage(objects: GitObjects, history: FileChanges[], model: string, mfile: string, afile: string, adoption: string, sources: Set<string>): Promise<VerifyProblem[]> {
  const out: VerifyProblem[] = [];
  const from = history.findIndex((c) => c.sha === adoption);
  for (const c of history.slice(from).filter((x) => x.files.has(mfile))) {
    // Covered without reading the manifests: a record names the commit, or the commit wrote the log too.
    if (sources.has(c.sha) || c.files.has(afile)) continue;
    const before = await manifestFrom(objects, `${c.sha}^`, mfile);
    const after = await manifestFrom(objects, c.sha, mfile);
    const changes = deriveTransitions(model, before, after).filter((t) => t.kind === 'stage' || t.kind === 'alias' || (t.kind === 'register' && t.to !== 'None'));
    for (const t of changes) {
      out.push({ model, commit: c.sha, message: `commit ${c.sha.slice(0, 12)} moved v${t.version} ${t.from ?? 'new'} -> ${t.to} without an audit record; run \`modelgate record\`` });
    }
  }
  return out;
}
