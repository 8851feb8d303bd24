/** `status [<model>]`: stages, aliases and headline metrics of the registry as it stands. */
import { resolve as resolvePath } from 'node:path';
import { InputError } from '../errors';
import { WorktreeState } from '../repo/worktree';
import { assertModelName, listModels, readLayout, readManifest, readPolicies } from '../repo/registry';
import type { StatusView } from '../report/status';
import type { LoadedPolicy } from '../policy/types';
import type { RunValues } from '../runs/types';
import { setOwn } from '../runs/setOwn';
import { selectPolicies } from '../policy/select';
import { RunCache } from './evaluation';
import type { CommonOptions } from './options';

/** How many metrics a status line shows per version. */
const HEADLINE_METRICS = 3;

/**
 * The metrics worth a glance: those the model's policies judge by name (in policy order), then
 * the rest alphabetically. Policies are only a hint here: unreadable ones are ignored
 * (`validate` reports them).
 */
async function headline(metrics: RunValues<number>, judged: string[]): Promise<Record<string, number>> {
  const keys = await metrics.keys();
  const listed = new Set(keys);
  const names = [...judged.filter((n) => listed.has(n)), ...keys.sort((a, b) => a.localeCompare(b))];
  // Read one by one until enough have a value (a metric file may hold no point): not all of them.
  const out: Record<string, number> = {};
  for (const n of new Set(names)) {
    if (Object.keys(out).length === HEADLINE_METRICS) break;
    const value = await metrics.get(n);
    if (value !== undefined) setOwn(out, n, value);
  }
  return out;
}

function judgedMetrics(policies: LoadedPolicy[], model: string): string[] {
  const out: string[] = [];
  for (const p of selectPolicies(policies, model)) {
    for (const rules of Object.values(p.doc.rules ?? {})) {
      for (const m of rules?.metrics ?? []) if (!/[*?[\]{}]/.test(m.name)) out.push(m.name);
    }
  }
  return out;
}

export async function runStatus(opts: CommonOptions & { model?: string }): Promise<StatusView[]> {
  const state = new WorktreeState(resolvePath(opts.repo));
  const layout = await readLayout(state);
  const names = opts.model ? [opts.model] : await listModels(state, layout);
  if (opts.model) assertModelName(opts.model);
  const runs = new RunCache(opts.env);
  const policies = await readPolicies(state, layout).catch(() => [] as LoadedPolicy[]);
  const views: StatusView[] = [];
  for (const model of names) {
    const m = await readManifest(state, layout, model, { singleProduction: false });
    if (!m) throw new InputError(`no model named '${model}'`, { hint: `models live in ${layout.registry}/<model>.yaml; run \`modelgate status\` to list them` });
    const judged = judgedMetrics(policies, model);
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
          row.metrics = await headline(run.metrics, judged);
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
