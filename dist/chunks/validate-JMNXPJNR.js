import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  WorktreeState,
  listModels,
  readLayout,
  readManifest,
  readPolicies
} from "./chunk-27FDAS2B.js";
import "./chunk-HYWAOBHT.js";
import "./chunk-JOPA73JY.js";
import {
  InputError,
  InputErrors,
  formatError
} from "./chunk-RTQ2UXCO.js";
import {
  toJson
} from "./chunk-PYSCYDZ7.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";

// src/commands/validate.ts
import { resolve } from "node:path";
async function runValidate(opts) {
  const state = new WorktreeState(resolve(opts.repo));
  const layout = await readLayout(state);
  const errors = [];
  const collect = async (fn) => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof InputErrors) errors.push(...err.errors);
      else if (err instanceof InputError) errors.push(err);
      else throw err;
      return void 0;
    }
  };
  const models = await listModels(state, layout);
  for (const model of models) await collect(() => readManifest(state, layout, model, { singleProduction: true }));
  const policies = await collect(() => readPolicies(state, layout));
  return { models: models.length, policies: policies?.length ?? 0, errors };
}
function renderValidate(o, format) {
  if (format === "json") {
    return toJson({
      valid: o.errors.length === 0,
      models: o.models,
      policies: o.policies,
      errors: o.errors.map((e) => ({ ...e.location, message: e.message, ...e.hint ? { hint: e.hint } : {} }))
    });
  }
  if (o.errors.length === 0) return `\u2713 valid: ${o.models} model manifest${o.models === 1 ? "" : "s"}, ${o.policies} polic${o.policies === 1 ? "y" : "ies"}`;
  const lines = o.errors.map((e) => formatError(e));
  lines.push(`\u2717 ${o.errors.length} problem${o.errors.length === 1 ? "" : "s"}; nothing was changed`);
  return lines.join("\n");
}
export {
  renderValidate,
  runValidate
};
