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
    const history = await logHistory(root, file);
    const genesis = history.adoption ? await manifestAt(root, `${history.adoption}^`, manifestPath(layout, model)) : undefined;
    if (manifest) {
      for (const m of compareWithManifest(audit.replay, manifest.manifest, genesis)) problems.push({ model, message: m });
    }
    problems.push(...(await appendOnly(root, model, file, history.commits)));
    if (history.adoption) problems.push(...(await coverage(root, layout, model, history.adoption, audit.sourceCommits)));
    problems.push(...(await sourcesExist(root, model, audit.sourceCommits)));
  }
  return { models: models.length, records, problems };
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
async function appendOnly(root: string, model: string, file: string, commits: string[]): Promise<VerifyProblem[]> {
  const out: VerifyProblem[] = [];
  let prev: string | undefined;
  for (const c of commits) {
    const text = (await blob(root, c, file)) ?? '';
    if (prev !== undefined && !text.startsWith(prev)) {
      out.push({ model, commit: c, message: `commit ${c.slice(0, 12)} rewrote ${file} instead of appending to it` });
    }
    prev = text;
  }
  return out;
}

/** Every stage or alias change of the manifest after adoption has its record. */
async function coverage(root: string, layout: RegistryLayout, model: string, adoption: string, sources: Set<string>): Promise<VerifyProblem[]> {
  const mfile = manifestPath(layout, model);
  const afile = auditPath(layout, model);
  const r = await git(['log', '--first-parent', '--reverse', '--format=%H', `${adoption}^..HEAD`, '--', mfile], { cwd: root, allowFail: true });
  if (r.code !== 0) return [];
  const out: VerifyProblem[] = [];
  for (const c of r.stdout.split('\n').filter(Boolean)) {
    if (sources.has(c)) continue;
    const before = await manifestAt(root, `${c}^`, mfile);
    const after = await manifestAt(root, c, mfile);
    const changes = deriveTransitions(model, before, after).filter((t) => t.kind === 'stage' || t.kind === 'alias' || (t.kind === 'register' && t.to !== 'None'));
    if (changes.length === 0) continue;
    const touchedLog = await git(['diff-tree', '--no-commit-id', '--name-only', '-r', `${c}^1`, c, '--', afile], { cwd: root });
    if (touchedLog.stdout.trim()) continue; // the commit that changed the manifest wrote the record
    for (const t of changes) {
      out.push({ model, commit: c, message: `commit ${c.slice(0, 12)} moved v${t.version} ${t.from ?? 'new'} -> ${t.to} without an audit record; run \`modelgate record\`` });
    }
  }
  return out;
}

async function sourcesExist(root: string, model: string, sources: Set<string>): Promise<VerifyProblem[]> {
  const out: VerifyProblem[] = [];
  for (const sha of sources) {
    const r = await git(['merge-base', '--is-ancestor', sha, 'HEAD'], { cwd: root, allowFail: true });
    if (r.code !== 0) out.push({ model, commit: sha, message: `a record names commit ${sha.slice(0, 12)}, which is not in the history of HEAD (history rewritten?)` });
  }
  return out;
}
