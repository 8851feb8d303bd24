import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  selectPolicies
} from "./chunk-S5WV7FJK.js";
import {
  RunCache,
  setOwn
} from "./chunk-WVHT4QIA.js";
import "./chunk-SO4SZRZT.js";
import "./chunk-UVN7TA7M.js";
import "./chunk-AKFKUSU4.js";
import "./chunk-E2G34L76.js";
import "./chunk-D7WOBC7Y.js";
import "./chunk-PNMDNJGF.js";
import {
  WorktreeState,
  assertModelName,
  listModels,
  readLayout,
  readManifest,
  readPolicies
} from "./chunk-27FDAS2B.js";
import "./chunk-HYWAOBHT.js";
import "./chunk-JOPA73JY.js";
import {
  InputError
} from "./chunk-RTQ2UXCO.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";

// src/commands/status.ts
import { resolve as resolvePath } from "node:path";
var HEADLINE_METRICS = 3;
async function headline(metrics, judged) {
  const keys = await metrics.keys();
  const listed = new Set(keys);
  const names = [...judged.filter((n) => listed.has(n)), ...keys.sort((a, b) => a.localeCompare(b))];
  const out = {};
  for (const n of new Set(names)) {
    if (Object.keys(out).length === HEADLINE_METRICS) break;
    const value = await metrics.get(n);
    if (value !== void 0) setOwn(out, n, value);
  }
  return out;
}
function judgedMetrics(policies, model) {
  const out = [];
  for (const p of selectPolicies(policies, model)) {
    for (const rules of Object.values(p.doc.rules ?? {})) {
      for (const m of rules?.metrics ?? []) if (!/[*?[\]{}]/.test(m.name)) out.push(m.name);
    }
  }
  return out;
}
async function runStatus(opts) {
  const state = new WorktreeState(resolvePath(opts.repo));
  const layout = await readLayout(state);
  const names = opts.model ? [opts.model] : await listModels(state, layout);
  if (opts.model) assertModelName(opts.model);
  const runs = new RunCache(opts.env);
  const policies = await readPolicies(state, layout).catch(() => []);
  const views = [];
  for (const model of names) {
    const m = await readManifest(state, layout, model, { singleProduction: false });
    if (!m) throw new InputError(`no model named '${model}'`, { hint: `models live in ${layout.registry}/<model>.yaml; run \`modelgate status\` to list them` });
    const judged = judgedMetrics(policies, model);
    const aliasesOf = (n) => Object.entries(m.manifest.aliases).filter(([, v]) => v === n).map(([a]) => a);
    const versions = [];
    for (const v of m.manifest.versions) {
      const row = { version: v.version, stage: v.stage, run: v.run, aliases: aliasesOf(v.version) };
      if (v.stage === "Production" || v.stage === "Staging" || row.aliases.length > 0) {
        try {
          const run = await runs.get(state, v);
          row.runId = run.runId;
          row.metrics = await headline(run.metrics, judged);
        } catch {
          row.metrics = void 0;
        }
      }
      versions.push(row);
    }
    views.push({
      model,
      file: m.file,
      ...m.manifest.owner ? { owner: m.manifest.owner } : {},
      ...m.manifest.riskTier ? { riskTier: m.manifest.riskTier } : {},
      versions,
      aliases: m.manifest.aliases
    });
  }
  return views;
}
export {
  runStatus
};
