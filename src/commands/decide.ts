/**
 * The decision commands: register, promote, archive, rollback. Each turns its arguments into a
 * Plan (a comment-preserving manifest edit) on the current state and hands it to applyPlan;
 * with --push the whole thing is re-run on the new tip after a rejected push.
 */
import type { AuditAction } from '../audit/types';
import { stageAction } from '../audit/build';
import { STAGES, type ModelVersion, type Stage } from '../manifest/types';
import { addVersion, setAlias, setStage } from '../manifest/edit';
import { InputError, NotFoundError } from '../errors';
import { isRemoteUri, isS3Uri, normalizeRepoPath, printable } from '../storage/paths';
import { digestArtifact } from '../artifacts/digest';
import { assertModelName, auditPath, manifestPath, snapshotPath } from '../repo/registry';
import { isServerRef } from '../mlflow/snapshot';
import { findBareRunId } from '../runs/read';
import { writeFileAtomicMkdir, type Written } from '../storage/atomic';
import { join } from 'node:path';
import { applyPlan, assertCommitted, readCurrent, type ApplyOptions, type ApplyOutcome, type Current, type Plan } from './apply';
import { openRun, versionEvidence } from './evaluation';
import { land } from './publish';
import { previousHolder } from './rollbackTarget';
import { selectPolicies } from '../policy/select';
import { aliasRuleRefusing } from '../policy/checks/transitionGraph';

/** Runs a plan once and lands its change (re-reading and re-judging on each new tip when published). */
async function decide(opts: ApplyOptions, model: string, makePlan: (cur: Current) => Promise<Plan>): Promise<ApplyOutcome> {
  assertModelName(model);
  const commit = !opts.dryRun && (opts.commit || opts.push);
  const once = async () => {
    const cur = await readCurrent(opts.repo, model);
    if (commit) await assertCommitted(cur.root, [manifestPath(cur.layout, model), auditPath(cur.layout, model)]);
    return applyPlan(opts, cur, await makePlan(cur));
  };
  return land(
    { repo: opts.repo, commit, push: opts.push && !opts.dryRun, publisher: opts.publisher, redoing: 'judging', onProgress: opts.onRetry ?? opts.onProgress },
    once,
  );
}

function requireManifest(cur: Current, model: string) {
  if (!cur.manifest || cur.manifestText === undefined) {
    throw new InputError(`no model named '${model}'`, { hint: `expected ${manifestPath(cur.layout, model)}; register a version first` });
  }
  return { loaded: cur.manifest, text: cur.manifestText };
}

function requireVersion(cur: Current, model: string, version: number) {
  const { loaded, text } = requireManifest(cur, model);
  const v = loaded.manifest.versions.find((x) => x.version === version);
  if (!v) {
    const known = loaded.manifest.versions.map((x) => x.version).join(', ');
    throw new InputError(`${model} has no version ${version}`, { hint: `versions: ${known || 'none'}` });
  }
  return { loaded, text, v };
}

export function parseTarget(to: string): Stage | `@${string}` {
  if (to.startsWith('@')) {
    if (!/^@[A-Za-z0-9_-]{1,64}$/.test(to)) throw new InputError(`'${to}' is not a valid alias`, { hint: 'aliases are @ followed by letters, digits, _ or -' });
    return to as `@${string}`;
  }
  const stage = STAGES.find((s) => s === to);
  if (stage) return stage;
  const near = STAGES.find((s) => s.toLowerCase() === to.toLowerCase());
  throw new InputError(`'${to}' is not a stage or alias`, { hint: near ? `did you mean ${near}?` : `use one of ${STAGES.join(', ')} or @alias` });
}


/**
 * `promote <model> <version> --to <Stage|@alias> [--alias NAME]`: with `alias`, the named alias
 * moves to the version in the same decision (so `--to Production --alias champion` replaces the
 * champion without leaving @champion on the version Production archives).
 */
export function promote(opts: ApplyOptions, model: string, version: number, to: string, alias?: string): Promise<ApplyOutcome> {
  const target = parseTarget(to);
  const moved = alias === undefined ? undefined : parseTarget(`@${alias.replace(/^@/, '')}`).slice(1);
  if (moved !== undefined && target.startsWith('@')) throw new InputError(`--to ${target} already names an alias; --alias goes with a stage`, { hint: `e.g. --to Production --alias ${moved}` });
  return decide(opts, model, async (cur) => {
    const { loaded, text, v } = requireVersion(cur, model, version);
    const file = loaded.file;
    if (target.startsWith('@')) {
      return { model, text: setAlias(text, file, target.slice(1), version), actionOf: stageAction, primary: version, subject: `${model} ${target} -> v${version}` };
    }
    if (v.stage === target) throw new InputError(`${model} v${version} is already in ${target}`);
    let next = setStage(text, file, version, target as Stage);
    if (target === 'Production') {
      // Entering Production archives the version that held it, in the same change.
      for (const p of loaded.manifest.versions.filter((x) => x.stage === 'Production' && x.version !== version)) {
        next = setStage(next, file, p.version, 'Archived');
      }
    }
    if (moved !== undefined && loaded.manifest.aliases[moved] !== version) next = setAlias(next, file, moved, version);
    const also = moved !== undefined ? ` @${moved}` : '';
    return { model, text: next, actionOf: stageAction, primary: version, subject: `${model} v${version} ${v.stage} -> ${target}${also}` };
  });
}

export function archive(opts: ApplyOptions, model: string, version: number): Promise<ApplyOutcome> {
  requireReason(opts, 'archive');
  return decide(opts, model, async (cur) => {
    const { loaded, text, v } = requireVersion(cur, model, version);
    if (v.stage === 'Archived') throw new InputError(`${model} v${version} is already Archived`);
    return { model, text: setStage(text, loaded.file, version, 'Archived'), actionOf: stageAction, primary: version, subject: `${model} v${version} ${v.stage} -> Archived` };
  });
}

/**
 * `rollback`: put back the version that held Production (or the alias) before the current one.
 * `--alias NAME` on an alias held by the Production version is that same Production rollback,
 * to the alias's previous holder, and the alias moves with it; on any other alias it moves only
 * the alias. Aliases of the archived version whose `from` rule refuses Archived move too.
 */
export function rollback(opts: ApplyOptions, model: string, target: { to?: number; alias?: string }): Promise<ApplyOutcome> {
  requireReason(opts, 'rollback');
  return decide(opts, model, async (cur) => {
    const { loaded, text } = requireManifest(cur, model);
    const { manifest, file } = loaded;
    const rollbackAction = (t: { kind: string; to: string | null; from: string | null }): AuditAction =>
      t.to === 'Production' || t.kind === 'alias' ? 'rollback' : stageAction(t);
    const production = manifest.versions.find((v) => v.stage === 'Production');
    let to: number;
    if (target.alias) {
      const held = manifest.aliases[target.alias];
      if (held === undefined) throw new InputError(`${model} has no alias '${target.alias}'`);
      to = target.to ?? (await previousHolder(cur, model, `@${target.alias}`, held));
      const { v } = requireVersion(cur, model, to);
      if (held !== production?.version || v.stage === 'Production') {
        const refused = aliasRuleRefuses(cur, model, target.alias, v.stage);
        if (refused) {
          throw new InputError(`@${target.alias} may only point at a version in ${refused.join(', ') || 'no stage'} (its from rule); v${to} is ${v.stage}`, {
            hint: `roll @${target.alias} back to a version in ${refused.join(' or ') || 'a stage its rule allows'} with --to VERSION`,
          });
        }
        return { model, text: setAlias(text, file, target.alias, to), actionOf: rollbackAction, via: 'rollback', primary: to, subject: `${model} @${target.alias} v${held} -> v${to}` };
      }
    } else {
      to = target.to ?? (await previousHolder(cur, model, 'Production', production?.version));
    }
    const { v } = requireVersion(cur, model, to);
    if (v.stage === 'Production') throw new InputError(`${model} v${to} is already in Production`);
    let next = setStage(text, file, to, 'Production');
    if (production) {
      next = setStage(next, file, production.version, 'Archived');
      for (const alias of aliasesToCarry(cur, model, production.version, target.alias)) next = setAlias(next, file, alias, to);
    }
    return { model, text: next, actionOf: rollbackAction, via: 'rollback', primary: to, subject: `${model} rollback v${production?.version ?? '-'} -> v${to}` };
  });
}

/**
 * Aliases on the Production version a rollback archives that go with the version put back: the
 * one named, and every one whose policy `from` rule refuses Archived (an emergency rollback must
 * not leave @champion on an Archived version, nor need its caller to know the alias names).
 */
/** The stages an alias's `from` rule allows, when some governing policy's rule refuses `stage`; undefined when none does. */
function aliasRuleRefuses(cur: Current, model: string, alias: string, stage: Stage): readonly Stage[] | undefined {
  return aliasRuleRefusing(`@${alias}`, stage, selectPolicies(cur.policies, model));
}

function aliasesToCarry(cur: Current, model: string, archived: number, named: string | undefined): string[] {
  const aliases = cur.manifest?.manifest.aliases ?? {};
  return Object.keys(aliases).filter((a) => aliases[a] === archived && (a === named || aliasRuleRefuses(cur, model, a, 'Archived') !== undefined));
}

export async function register(opts: ApplyOptions, model: string, run: string, artifact: string | undefined): Promise<ApplyOutcome> {
  if (!isServerRef(run)) return registerRun(opts, model, run, artifact);
  // A run on a tracking server: its snapshot is taken once, written before the plan (the
  // checks read it like any run record), committed with the manifest, and taken back unless
  // the decision is written.
  assertModelName(model);
  const { snapshotFromServer } = await import('../mlflow/fromServer');
  const snapshot = await snapshotFromServer(run, opts.env, opts.now);
  const written: Written[] = [];
  try {
    const out = await registerRun(opts, model, run, artifact, async (cur) => {
      const path = snapshotPath(cur.layout, model, snapshot.runId);
      const w = await writeSnapshot(cur, path, snapshot.text);
      if (w) written.push(w);
      return path;
    });
    for (const w of written) await (out.written ? w.keep() : w.undo());
    return out;
  } catch (err) {
    for (const w of written.reverse()) await w.undo().catch(() => undefined);
    throw err;
  }
}

/** Writes a snapshot unless the same bytes are there; a different snapshot of the run is refused (it may be a version's evidence). */
async function writeSnapshot(cur: Current, path: string, text: string): Promise<Written | undefined> {
  const there = await cur.work.readText(path);
  if (there === text) return undefined;
  if (there !== undefined) {
    throw new InputError(`${path} already exists: this run was snapshotted before`, {
      hint: `register that snapshot with --run ${path} (a snapshot may be a registered version's evidence, so it is never overwritten)`,
    });
  }
  return writeFileAtomicMkdir(join(cur.root, path), text);
}

function registerRun(
  opts: ApplyOptions,
  model: string,
  run: string,
  artifact: string | undefined,
  snapshot?: (cur: Current) => Promise<string>,
): Promise<ApplyOutcome> {
  return decide(opts, model, async (cur) => {
    const written = snapshot ? await snapshot(cur) : undefined;
    const runRef = written ?? (isS3Uri(run) ? run : ((await findBareRunId(cur.work, run)) ?? normalizeRepoPath(run)));
    const artifactRef = artifact === undefined ? undefined : isRemoteUri(artifact) ? artifact : normalizeRepoPath(artifact);
    const existing = cur.manifest?.manifest.versions ?? [];
    // Version numbers are never reused, even for versions removed from the manifest since.
    const recorded = cur.audit ? Math.max(0, ...cur.audit.replay.stages.keys()) : 0;
    const version = Math.max(0, recorded, ...existing.map((v) => v.version)) + 1;
    const entry: ModelVersion = { version, run: runRef, stage: 'None', ...(artifactRef ? { artifact: artifactRef } : {}) };
    const record = await openRun(cur.work, entry, opts.env); // the run must exist and be readable
    const uri = artifactRef ?? record.artifact;
    if (uri !== undefined) {
      // The location is written with its digest, so the digest always says what it is of, and
      // `resolve` never has to read the run (from S3) to find it.
      entry.artifact = uri;
      entry.digest = await registeredDigest(uri, artifactRef === undefined ? runRef : undefined, cur, opts);
    }
    // What the version will be judged on, pinned (SPEC section 6): run.evidence and audit verify check it.
    entry.evidence = (await versionEvidence(cur.work, entry, opts.env)).digest;
    const file = manifestPath(cur.layout, model);
    const text = addVersion(cur.manifestText ?? newManifestText(model), file, entry);
    return { model, text, actionOf: () => 'register', primary: version, subject: `${model} v${version} registered`, ...(written ? { files: [written] } : {}) };
  });
}

/** The digest of the artifact being registered; it must exist (a typo'd URI is caught here). */
async function registeredDigest(uri: string, fromRun: string | undefined, cur: Current, opts: ApplyOptions): Promise<string> {
  const d = await digestArtifact(uri, { repoSource: cur.work, env: opts.env, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  if (!d.exists || d.digest === undefined) {
    throw new NotFoundError(`artifact ${printable(uri)} does not exist${fromRun !== undefined ? ` (named by run ${printable(fromRun)})` : ''}`, {
      hint: isS3Uri(uri) ? 'upload the model first, or check the bucket and prefix (a prefix is read as a directory)' : 'check the path, or pass --artifact with the model location',
    });
  }
  return d.digest;
}

function newManifestText(model: string): string {
  return `apiVersion: modelgate/v1\nkind: Model\nname: ${model}\nversions: []\n`;
}

function requireReason(opts: ApplyOptions, command: string): void {
  if (!opts.reason || !opts.reason.trim()) {
    throw new InputError(`${command} needs a reason`, { hint: `pass --reason "why" (it is kept in the audit record)` });
  }
}
