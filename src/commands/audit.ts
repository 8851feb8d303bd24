/**
 * `audit [<model>]` prints the transition history; `audit verify` proves it (SPEC section 7):
 * chain intact, logs only appended along first-parent history, replay equal to the manifests,
 * every committed stage or alias change covered by a record, and every record's source commit
 * still in history (a force-push that rewrote it is named).
 */
import { resolve as resolvePath } from 'node:path';
import type { AuditRecord } from '../audit/types';
import type { Manifest } from '../manifest/types';
import type { VerifyProblem } from '../report/audit';
import { parseRecordLine, readLines } from '../audit/log';
import { compareWithManifest } from '../audit/replay';
import { deriveTransitions } from '../transitions/derive';
import { loadManifest } from '../manifest/load';
import { InputError } from '../errors';
import { git } from '../git/exec';
import { WorktreeState } from '../repo/worktree';
import { GitObjects } from '../repo/gitState';
import { assertModelName, auditPath, listModels, manifestPath, readLayout, readManifest, type RegistryLayout } from '../repo/registry';
import { readAuditState } from './auditState';
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
  const problems: VerifyProblem[] = [];
  let records = 0;
  // History is asked of git once for all models, not 5-10 processes per model: the first-parent
  // commits touching the registry or the audit logs (with the files each changed), the commits
  // of HEAD, and blobs through one `git cat-file --batch`.
  const history = await firstParentChanges(root, [layout.audit, layout.registry]);
  const reachable = new Set((await git(['rev-list', 'HEAD'], { cwd: root, allowFail: true })).stdout.split('\n').filter(Boolean));
  const objects = new GitObjects(root);
  try {
    for (const model of models) {
      const file = auditPath(layout, model);
      const audit = await readAuditState(state, file, model);
      if (!audit) continue; // a model without a log has not adopted the audit trail yet
      records += audit.count;
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
      }
      problems.push(...(await appendOnly(objects, model, file, logCommits)));
      if (adoption) problems.push(...(await coverage(objects, history, model, mfile, file, adoption, audit.sourceCommits)));
      for (const sha of audit.sourceCommits) {
        if (reachable.has(sha) || (sha.length < 40 && [...reachable].some((r) => r.startsWith(sha)))) continue;
        problems.push({ model, commit: sha, message: `a record names commit ${sha.slice(0, 12)}, which is not in the history of HEAD (history rewritten?)` });
      }
    }
  } finally {
    objects.close();
  }
  return { models: models.length, records, problems };
}

interface Change {
  sha: string;
  /** Files under the asked directories that the commit changed (against its first parent). */
  files: Set<string>;
}

/** First-parent commits of HEAD, oldest first, with the files under `dirs` each changed. */
async function firstParentChanges(root: string, dirs: string[]): Promise<Change[]> {
  const r = await git(['log', '--first-parent', '--reverse', '--name-only', '--no-renames', '-z', '--format=%x01%H', 'HEAD', '--', ...dirs], { cwd: root, allowFail: true });
  if (r.code !== 0) return [];
  const out: Change[] = [];
  for (const block of r.stdout.split('\x01').filter(Boolean)) {
    const [head = '', ...rest] = block.split('\0');
    const [sha = '', first = ''] = head.split('\n');
    out.push({ sha, files: new Set([first, ...rest].map((f) => f.replace(/^\n/, '')).filter(Boolean)) });
  }
  return out;
}

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
  return history.adoption ? manifestAt(root, `${history.adoption}^`, manifestPath(layout, model)) : undefined;
}

/** First-parent commits (oldest first) that changed the log; the first one is the adoption. */
async function logHistory(root: string, file: string): Promise<{ commits: string[]; adoption: string | undefined }> {
  const r = await git(['log', '--first-parent', '--reverse', '--format=%H', 'HEAD', '--', file], { cwd: root, allowFail: true });
  const commits = r.code === 0 ? r.stdout.split('\n').filter(Boolean) : [];
  return { commits, adoption: commits[0] };
}

async function blob(root: string, rev: string, path: string): Promise<string | undefined> {
  const r = await git(['show', `${rev}:${path}`], { cwd: root, allowFail: true });
  return r.code === 0 ? r.stdout : undefined;
}

async function manifestAt(root: string, rev: string, path: string): Promise<Manifest | undefined> {
  const text = await blob(root, rev, path);
  if (text === undefined) return undefined;
  try {
    return loadManifest(text, path, { singleProduction: false }).manifest;
  } catch {
    return undefined;
  }
}

/** Each committed version of the log is a prefix of the next. */
async function appendOnly(objects: GitObjects, model: string, file: string, commits: string[]): Promise<VerifyProblem[]> {
  const out: VerifyProblem[] = [];
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
async function coverage(objects: GitObjects, history: Change[], model: string, mfile: string, afile: string, adoption: string, sources: Set<string>): Promise<VerifyProblem[]> {
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
