/**
 * `pin [<model>]` (SPEC section 5): writes the `evidence` digest of every version that has none,
 * computed from the working tree. A one-time migration for manifests written before evidence
 * digests existed, reviewed as a pull request: `check` allows a change that only adds
 * `evidence:` where there was none (and leaves the files alone). Nothing else is touched: the
 * edit is comment-preserving, each manifest is written atomically, and with `--commit` only the
 * manifests are committed.
 */
import { join, resolve } from 'node:path';
import { setEvidence } from '../manifest/edit';
import { loadManifest } from '../manifest/load';
import { InputError } from '../errors';
import { writeFileAtomic, type Written } from '../storage/atomic';
import { takeBack } from '../publish/change';
import type { Attempt } from '../publish/publisher';
import { land } from './publish';
import { WorktreeState } from '../repo/worktree';
import { assertModelName, listModels, manifestPath, readLayout } from '../repo/registry';
import { versionEvidence } from './evaluation';
import { assertCommitted } from './apply';
import { repoRoot } from './repoRoot';
import type { CommonOptions } from './options';

export interface PinOptions extends CommonOptions {
  model?: string;
  dryRun?: boolean;
  commit?: boolean;
}

export interface PinOutcome {
  pinned: { model: string; version: number; evidence: string }[];
  written: boolean;
  commit?: string;
}

export async function runPin(opts: PinOptions): Promise<PinOutcome> {
  return land({ repo: opts.repo, commit: opts.commit && !opts.dryRun, redoing: 'pinning' }, () => pinOnce(opts));
}

async function pinOnce(opts: PinOptions): Promise<Attempt<PinOutcome>> {
  const root = await repoRoot(resolve(opts.repo));
  const work = new WorktreeState(root);
  const layout = await readLayout(work);
  if (opts.model !== undefined) assertModelName(opts.model);
  const models = opts.model !== undefined ? [opts.model] : await listModels(work, layout);
  const pinned: PinOutcome['pinned'] = [];
  const edits: { file: string; text: string }[] = [];
  for (const model of models) {
    const file = manifestPath(layout, model);
    const original = await work.readText(file);
    if (original === undefined) throw new InputError(`no model named '${model}'`, { hint: `expected ${file}` });
    let text = original;
    for (const v of loadManifest(original, file, { singleProduction: false }).manifest.versions) {
      if (v.evidence) continue;
      const { digest } = await versionEvidence(work, v, opts.env);
      text = setEvidence(text, file, v.version, digest);
      pinned.push({ model, version: v.version, evidence: digest });
    }
    if (text !== original) edits.push({ file, text });
  }
  if (edits.length === 0 || opts.dryRun) return { result: { pinned, written: false } };
  if (opts.commit) await assertCommitted(root, edits.map((e) => e.file));

  // All or nothing: every computation is done before the first write.
  const writes: Written[] = [];
  try {
    for (const e of edits) writes.push(await writeFileAtomic(join(root, e.file), e.text));
  } catch (err) {
    throw await takeBack(root, [], writes, err);
  }
  const files = edits.map((e) => e.file);
  const message = `modelgate: pin evidence of ${pinned.length} version${pinned.length === 1 ? '' : 's'}\n\n${pinned.map((p) => `${p.model} v${p.version}: ${p.evidence}`).join('\n')}\n`;
  return { result: { pinned, written: true }, change: { files, message, writes } };
}
