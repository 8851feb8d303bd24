/** `resolve models:/name@alias | models:/name/Stage | models:/name/N`: which artifact serves it. */
import { resolve as resolvePath } from 'node:path';
import { InputError } from '../errors';
import { STAGES, type ModelVersion, type Stage } from '../manifest/types';
import { isS3Uri } from '../storage/paths';
import { WorktreeState } from '../repo/worktree';
import { assertModelName, readLayout, readManifest } from '../repo/registry';
import { openRun } from './evaluation';
import type { CommonOptions } from './options';

export interface Resolved {
  uri: string;
  model: string;
  version: number;
  stage: Stage;
  aliases: string[];
  artifact: string | null;
  digest: string | null;
  run: string;
}

const URI = /^models:\/([^/@]+)(?:@([^/]+)|\/([^/]+))$/;

export async function runResolve(opts: CommonOptions & { uri: string }): Promise<Resolved> {
  const m = URI.exec(opts.uri);
  if (!m) {
    throw new InputError(`'${opts.uri}' is not a model URI`, { hint: 'use models:/<name>@<alias>, models:/<name>/<Stage> or models:/<name>/<version>' });
  }
  const [, model, alias, selector] = m as unknown as [string, string, string | undefined, string | undefined];
  assertModelName(model);
  const state = new WorktreeState(resolvePath(opts.repo));
  const layout = await readLayout(state);
  const loaded = await readManifest(state, layout, model, { singleProduction: false });
  if (!loaded) throw new InputError(`no model named '${model}'`, { hint: `expected ${layout.registry}/${model}.yaml` });
  const { manifest } = loaded;
  let version: number | undefined;
  if (alias !== undefined) {
    version = manifest.aliases[alias];
    if (version === undefined) {
      const known = Object.keys(manifest.aliases);
      throw new InputError(`model '${model}' has no alias '${alias}'`, { hint: known.length ? `aliases: ${known.join(', ')}` : 'the model has no aliases' });
    }
  } else if (/^[0-9]+$/.test(selector!)) {
    version = Number(selector);
    if (!manifest.versions.some((v) => v.version === version)) throw new InputError(`model '${model}' has no version ${version}`);
  } else {
    const stage = STAGES.find((s) => s === selector);
    if (!stage) {
      const near = STAGES.find((s) => s.toLowerCase() === selector!.toLowerCase());
      throw new InputError(`'${selector}' is not a stage`, { hint: near ? `did you mean ${near}?` : `stages are ${STAGES.join(', ')}` });
    }
    const holders = manifest.versions.filter((v) => v.stage === stage);
    if (holders.length === 0) throw new InputError(`model '${model}' has no version in ${stage}`);
    // Several versions may be Staging or Archived; the newest one is what a user means.
    version = Math.max(...holders.map((v) => v.version));
  }
  const v = manifest.versions.find((x) => x.version === version)!;
  const artifact = v.artifact ?? (await runArtifact(state, v, opts.env));
  return {
    uri: opts.uri,
    model,
    version: v.version,
    stage: v.stage,
    aliases: Object.entries(manifest.aliases).filter(([, n]) => n === v.version).map(([a]) => a),
    artifact,
    digest: v.digest ?? null,
    run: v.run,
  };
}

/**
 * The model location a local run names, for versions registered without `artifact:`. resolve is
 * what a serving job calls: it reads the repository only, never S3 (no credentials, no network),
 * so a run stored in S3 resolves to no location (`register` writes `artifact:` for it). A run
 * that cannot be read resolves to none as well: resolve reports where, `check` judges runs.
 */
async function runArtifact(state: WorktreeState, v: ModelVersion, env: CommonOptions['env']): Promise<string | null> {
  if (isS3Uri(v.run)) return null;
  try {
    return (await openRun(state, v, env)).artifact ?? null;
  } catch {
    return null;
  }
}

export function renderResolved(r: Resolved, format: string): string {
  if (format === 'json') return JSON.stringify(r);
  return `${r.artifact ?? '(no artifact location)'}\n${r.digest ?? '(no digest recorded)'}`;
}
