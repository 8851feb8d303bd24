/**
 * `record [--since REF]`: after a merge, append audit records for the manifest transitions
 * committed on the first-parent line since REF that have none yet. It never refuses: it
 * records what was merged, with the verdicts the gate gives now (policies of the commit before
 * the change), and warns when a recorded transition had failing deny checks (a bypassed gate).
 * Idempotent: a commit that already has its records (by `source.commit`, or because the same
 * commit wrote the log) is skipped.
 */
import { join, resolve as resolvePath } from 'node:path';
import type { AuditRecord } from '../audit/types';
import type { TransitionResult } from '../policy/types';
import { deriveTransitions, removedAliases } from '../transitions/derive';
import { changeRecords, sealChain, stageAction } from '../audit/build';
import { policyDigest } from './policyDigest';
import { selectPolicies } from '../policy/select';
import { appendRecords } from '../audit/log';
import { commitMessage } from '../audit/trailers';
import { InputError } from '../errors';
import { git } from '../git/exec';
import { changesTouching, commitsTouching, firstParentLine } from '../repo/history';
import { GitState } from '../repo/gitState';
import { WorktreeState } from '../repo/worktree';
import { auditPath, modelOfPath, readLayout, readManifest, readPolicies } from '../repo/registry';
import type { ApprovalSource } from '../policy/context';
import { judge } from './check';
import { RunCache, type EvaluationDeps } from './evaluation';
import { readAuditState, type AuditState } from './auditState';
import { repoRoot } from './repoRoot';
import { land, type PublisherFor } from './publish';
import { assertCommitted } from './apply';
import { takeBack } from '../publish/change';
import type { Attempt } from '../publish/publisher';
import { crashPoint, type Written } from '../storage/atomic';
import { resolveActor, ciRunUrl } from './actor';
import type { CommonOptions } from './options';

export interface RecordOptions extends CommonOptions {
  since?: string;
  actor?: string;
  commit?: boolean;
  push?: boolean;
  /** Where `push` publishes (the Action's commit-mode api); git push by default. */
  publisher?: PublisherFor;
  /** Told when the branch moved and the run starts again on the new tip (default: onProgress). */
  onRetry?: (text: string) => void;
  dryRun?: boolean;
  /**
   * Who a recorded commit came from: the pull request GitHub associates with it (its merge
   * commit or merged head is that commit) and that PR's approvals, asked per recorded commit.
   * The Action supplies it; without it (the CLI) a record names no PR and no approvals: the
   * commit message never decides (a subject `... (#7)` is anyone's to write).
   */
  attribute?: (commit: string) => Promise<Attribution>;
  /** Members of an `@org/team` in `approvals.from` (the Action asks the GitHub API). */
  resolveTeam?: (team: string) => Promise<string[]>;
  onProgress?: (text: string) => void;
}

export interface Attribution {
  pr?: number;
  approvals: ApprovalSource;
}

export interface RecordOutcome {
  /** Environment failures met while judging: nothing is recorded (exit 3). */
  faults: Error[];
  records: AuditRecord[];
  /** Recorded transitions whose deny checks failed: merged past the gate. */
  bypassed: { model: string; version: number; commit: string; failed: string[] }[];
  commit?: string;
}

export async function runRecord(opts: RecordOptions): Promise<RecordOutcome> {
  const commit = !opts.dryRun && (opts.commit || opts.push);
  return land(
    { repo: opts.repo, commit, push: opts.push && !opts.dryRun, publisher: opts.publisher, redoing: 'recording', onProgress: opts.onRetry ?? opts.onProgress },
    () => recordOnce({ ...opts, commit }),
  );
}

async function recordOnce(opts: RecordOptions): Promise<Attempt<RecordOutcome>> {
  const root = await repoRoot(resolvePath(opts.repo));
  const head = await GitState.open(root, 'HEAD');
  const work = new WorktreeState(root);
  try {
    const layout = await readLayout(head);
    if (opts.commit && !opts.dryRun) await assertCommitted(root, [layout.audit]);
    const commits = await commitsTouching(root, [layout.registry], { ...(opts.since !== undefined ? { since: opts.since } : {}), strict: true });
    const adopted = await adoptionOrder(root, layout.audit, commits.length > 0);
    const actor = await resolveActor(root, opts.actor, opts.env);
    const audits = new Map<string, AuditState | undefined>();
    const pending = new Map<string, AuditRecord[]>();
    const bypassed: RecordOutcome['bypassed'] = [];
    const runs = new RunCache(opts.env);
    const runUrl = ciRunUrl(opts.env);
    const attributions = new Map<string, Promise<Attribution>>();
    const attributionOf = (sha: string): Promise<Attribution> => {
      if (!opts.attribute) return Promise.resolve({ approvals: { kind: 'none' } });
      let a = attributions.get(sha);
      if (!a) attributions.set(sha, (a = opts.attribute(sha)));
      return a;
    };

    for (const c of commits) {
      if (!c.parent) continue; // a root commit is every model's genesis state
      const touched = await changedIn(root, c.sha);
      const models = [...new Set(touched.map((p) => modelOfPath(layout, p)).filter((m): m is string => !!m))];
      if (models.length === 0) continue;
      const before = await GitState.open(root, c.parent);
      const after = await GitState.open(root, c.sha);
      try {
        const policies = await readPolicies(before, await readLayout(before)).catch(() => []);
        for (const model of models) {
          // The commit that wrote the model's log made (and recorded) its own change.
          if (touched.includes(auditPath(layout, model))) continue;
          if (!audits.has(model)) audits.set(model, await loadBuildable(work, layout, model));
          const audit = audits.get(model);
          if (audit?.sourceCommits.has(c.sha)) continue;
          // A change made before the model's log was added is part of its genesis state (SPEC §7):
          // recording it now would put an old stage after newer records.
          if (audit && adopted.beforeAdoption(auditPath(layout, model), c.sha)) continue;
          const { pr, approvals } = await attributionOf(c.sha);
          const base = await readManifest(before, layout, model, { singleProduction: false }).catch(() => undefined);
          const headM = await readManifest(after, layout, model, { singleProduction: false }).catch(() => undefined);
          const transitions = deriveTransitions(model, base?.manifest, headM?.manifest).filter((t) => t.kind !== 'remove');
          const deps: EvaluationDeps = {
            root, layout, base: before, head: after, policies, now: opts.now,
            approvals, env: opts.env,
            ...(opts.resolveTeam ? { resolveTeam: opts.resolveTeam } : {}),
            ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
          };
          const list = pending.get(model) ?? [];
          const prev = list.length ? list[list.length - 1]! : audit?.last;
          const toRecord: TransitionResult[] = [];
          // As a direct decision writes them: the version entering a stage before the one it displaced leaving it.
          for (const t of [...transitions].sort((x, y) => Number(x.to === 'Archived') - Number(y.to === 'Archived'))) {
            const j = await judge(deps, runs, t, headM, base, { outOfTimeIsFault: true });
            // A record carries the verdicts the gate gives: none can be given, so nothing is recorded.
            if (j.faults.length) return { result: { records: [], bypassed: [], faults: j.faults } };
            toRecord.push(j.result);
          }
          for (const r of toRecord) {
            const failed = r.checks.filter((x) => x.status === 'fail').map((x) => x.id);
            if (failed.length) bypassed.push({ model, version: r.version, commit: c.sha, failed });
          }
          // The same builder as a direct decision (SPEC section 7: one shape), with the policies
          // of the commit before the change.
          const fields = changeRecords(
            {
              time: opts.now.toISOString(),
              actor,
              model,
              manifest: headM?.manifest ?? { name: model, versions: [], aliases: {} },
              before: base?.manifest,
              reason: c.subject,
              policy: await policyDigest(before, selectPolicies(policies, model)),
              source: {
                commit: c.sha,
                ...(pr !== undefined ? { pr } : {}),
                ...(approvals.kind === 'pr' ? { approvals: approvals.approvers } : {}),
                ...(runUrl ? { run_url: runUrl } : {}),
              },
            },
            toRecord,
            stageAction,
            removedAliases(base?.manifest, headM?.manifest),
          );
          list.push(...sealChain(fields, prev ? { seq: prev.seq, hash: prev.hash } : undefined));
          if (list.length) pending.set(model, list);
        }
      } finally {
        before.close?.();
        after.close?.();
      }
    }

    const all = [...pending.values()].flat();
    if (opts.dryRun || all.length === 0) return { result: { records: all, bypassed, faults: [] } };
    // Every log of the run lands, or none: a failed append (a full disk) takes back the others.
    const writes: Written[] = [];
    const files = [...pending.keys()].map((m) => auditPath(layout, m));
    crashPoint('before-write');
    try {
      for (const [model, records] of pending) writes.push(await appendRecords(join(root, auditPath(layout, model)), records));
    } catch (err) {
      throw await takeBack(root, [], writes, err);
    }
    crashPoint('before-commit');
    const message = commitMessage(all, `Recorded ${all.length} transition${all.length === 1 ? '' : 's'} merged without an audit record.`);
    return { result: { records: all, bypassed, faults: [] }, change: { files, message, writes } };
  } finally {
    head.close?.();
  }
}

async function loadBuildable(work: WorktreeState, layout: Awaited<ReturnType<typeof readLayout>>, model: string): Promise<AuditState | undefined> {
  const audit = await readAuditState(work, auditPath(layout, model), model);
  if (audit?.problems.length) {
    throw new InputError(`the audit log of ${model} is broken: ${audit.problems[0]!.message}`, {
      location: { file: audit.file },
      hint: 'run `modelgate audit verify`; restore the log from git history before recording',
    });
  }
  return audit;
}

/**
 * When each audit log was adopted: the first first-parent commit of HEAD that added it. A log
 * in the working tree that no commit added yet is adopted after every commit.
 */
async function adoptionOrder(root: string, auditDir: string, needed: boolean): Promise<{ beforeAdoption(file: string, sha: string): boolean }> {
  if (!needed) return { beforeAdoption: () => false };
  const [order, changes] = await Promise.all([firstParentLine(root), changesTouching(root, [auditDir])]);
  // Newest first: a larger index is an older commit.
  const index = new Map(order.map((sha, i) => [sha, i]));
  const adoption = new Map<string, number>();
  for (const c of changes) for (const file of c.files) if (!adoption.has(file) && index.has(c.sha)) adoption.set(file, index.get(c.sha)!);
  return {
    beforeAdoption(file, sha) {
      const at = adoption.get(file);
      const i = index.get(sha);
      return at === undefined || i === undefined || i >= at;
    },
  };
}

async function changedIn(root: string, sha: string): Promise<string[]> {
  // `git diff` between two commits reads only trees; `diff-tree` loads the whole index first
  // (seconds and hundreds of MB in a checkout with millions of committed run files).
  const r = await git(['diff', '--name-only', '-z', '--no-renames', `${sha}^1`, sha], { cwd: root });
  return r.stdout.split('\0').filter(Boolean);
}
