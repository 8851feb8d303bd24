/** `status [<model>]`: stages, aliases and headline metrics of the registry as it stands. */
import { resolve as resolvePath } from 'node:path';
import { InputError } from '../errors';
import { WorktreeState } from '../repo/worktree';
import { assertModelName, listModels, readLayout, readManifest } from '../repo/registry';
import type { StatusView } from '../report/status';
import { RunCache } from './evaluation';
import type { CommonOptions } from './options';

/** How many metrics a status line shows per version: the first few, alphabetically. */
const HEADLINE_METRICS = 3;

export async function runStatus(opts: CommonOptions & { model?: string }): Promise<StatusView[]> {
  const state = new WorktreeState(resolvePath(opts.repo));
  const layout = await readLayout(state);
  const names = opts.model ? [opts.model] : await listModels(state, layout);
  if (opts.model) assertModelName(opts.model);
  const runs = new RunCache(opts.env);
  const views: StatusView[] = [];
  for (const model of names) {
    const m = await readManifest(state, layout, model, { singleProduction: false });
    if (!m) throw new InputError(`no model named '${model}'`, { hint: `models live in ${layout.registry}/<model>.yaml; run \`modelgate status\` to list them` });
    const aliasesOf = (n: number) => Object.entries(m.manifest.aliases).filter(([, v]) => v === n).map(([a]) => a);
    const versions: StatusView['versions'] = [];
    for (const v of m.manifest.versions) {
      const row: StatusView['versions'][number] = { version: v.version, stage: v.stage, run: v.run, aliases: aliasesOf(v.version) };
      // Headline metrics only for versions someone serves or is about to; reading every
      // archived run would make status grow with history.
      if (v.stage === 'Production' || v.stage === 'Staging' || row.aliases.length > 0) {
        try {
          const run = await runs.get(state, v);
          row.runId = run.runId;
          row.metrics = Object.fromEntries(Object.entries(run.metrics).sort(([a], [b]) => a.localeCompare(b)).slice(0, HEADLINE_METRICS));
        } catch {
          row.metrics = undefined; // status is informative; `check` and `validate` report unreadable runs
        }
      }
      versions.push(row);
    }
    views.push({
      model,
      file: m.file,
      ...(m.manifest.owner ? { owner: m.manifest.owner } : {}),
      ...(m.manifest.riskTier ? { riskTier: m.manifest.riskTier } : {}),
      versions,
      aliases: m.manifest.aliases,
    });
  }
  return views;
}
