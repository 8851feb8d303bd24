import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  openRun
} from "./chunk-WVHT4QIA.js";
import "./chunk-SO4SZRZT.js";
import "./chunk-UVN7TA7M.js";
import "./chunk-AKFKUSU4.js";
import "./chunk-E2G34L76.js";
import "./chunk-D7WOBC7Y.js";
import "./chunk-PNMDNJGF.js";
import {
  STAGES,
  WorktreeState,
  assertModelName,
  readLayout,
  readManifest
} from "./chunk-27FDAS2B.js";
import "./chunk-HYWAOBHT.js";
import {
  isS3Uri
} from "./chunk-JOPA73JY.js";
import {
  InputError
} from "./chunk-RTQ2UXCO.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";

// src/commands/resolve.ts
import { resolve as resolvePath } from "node:path";
var URI = /^models:\/([^/@]+)(?:@([^/]+)|\/([^/]+))$/;
async function runResolve(opts) {
  const m = URI.exec(opts.uri);
  if (!m) {
    throw new InputError(`'${opts.uri}' is not a model URI`, { hint: "use models:/<name>@<alias>, models:/<name>/<Stage> or models:/<name>/<version>" });
  }
  const [, model, alias, selector] = m;
  assertModelName(model);
  const state = new WorktreeState(resolvePath(opts.repo));
  const layout = await readLayout(state);
  const loaded = await readManifest(state, layout, model, { singleProduction: false });
  if (!loaded) throw new InputError(`no model named '${model}'`, { hint: `expected ${layout.registry}/${model}.yaml` });
  const { manifest } = loaded;
  let version;
  if (alias !== void 0) {
    version = manifest.aliases[alias];
    if (version === void 0) {
      const known = Object.keys(manifest.aliases);
      throw new InputError(`model '${model}' has no alias '${alias}'`, { hint: known.length ? `aliases: ${known.join(", ")}` : "the model has no aliases" });
    }
  } else if (/^[0-9]+$/.test(selector)) {
    version = Number(selector);
    if (!manifest.versions.some((v2) => v2.version === version)) throw new InputError(`model '${model}' has no version ${version}`);
  } else {
    const stage = STAGES.find((s) => s === selector);
    if (!stage) {
      const near = STAGES.find((s) => s.toLowerCase() === selector.toLowerCase());
      throw new InputError(`'${selector}' is not a stage`, { hint: near ? `did you mean ${near}?` : `stages are ${STAGES.join(", ")}` });
    }
    const holders = manifest.versions.filter((v2) => v2.stage === stage);
    if (holders.length === 0) throw new InputError(`model '${model}' has no version in ${stage}`);
    version = Math.max(...holders.map((v2) => v2.version));
  }
  const v = manifest.versions.find((x) => x.version === version);
  const artifact = v.artifact ?? await runArtifact(state, v, opts.env);
  return {
    uri: opts.uri,
    model,
    version: v.version,
    stage: v.stage,
    aliases: Object.entries(manifest.aliases).filter(([, n]) => n === v.version).map(([a]) => a),
    artifact,
    digest: v.digest ?? null,
    run: v.run
  };
}
async function runArtifact(state, v, env) {
  if (isS3Uri(v.run)) return null;
  try {
    return (await openRun(state, v, env)).artifact ?? null;
  } catch {
    return null;
  }
}
function renderResolved(r, format) {
  if (format === "json") return JSON.stringify(r);
  return `${r.artifact ?? "(no artifact location)"}
${r.digest ?? "(no digest recorded)"}`;
}
export {
  renderResolved,
  runResolve
};
