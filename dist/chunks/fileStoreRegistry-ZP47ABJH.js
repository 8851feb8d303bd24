import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  childPath,
  readSourceText
} from "./chunk-PNMDNJGF.js";
import {
  parseYaml
} from "./chunk-HYWAOBHT.js";
import {
  printable
} from "./chunk-JOPA73JY.js";
import {
  InputError,
  NotFoundError
} from "./chunk-RTQ2UXCO.js";
import "./chunk-CCN2QAD7.js";

// src/mlflow/fileStoreRegistry.ts
var MAX_VERSIONS = 1e5;
async function readFileStoreModel(source, mlruns, name) {
  if (name === "" || name === "." || name === ".." || /[/\\\0]/.test(name)) {
    throw new InputError(`'${printable(name)}' cannot be a registered model directory`, { hint: "a file store keeps each registered model in models/<name>/; name one that exists there" });
  }
  const dir = childPath(childPath(mlruns, "models"), name);
  const metaText = await readSourceText(source, childPath(dir, "meta.yaml"));
  if (metaText === void 0) {
    const known = (await source.list(childPath(mlruns, "models")) ?? []).filter((n) => !n.startsWith(".")).sort();
    throw new NotFoundError(`no registered model '${printable(name)}' in the file store ${mlruns} (expected ${childPath(dir, "meta.yaml")})`, {
      hint: known.length ? `registered models there: ${known.map(printable).join(", ")}` : `${mlruns}/models/ holds no registered model: is ${mlruns} the mlruns directory?`
    });
  }
  const meta = mapping(parseYaml(metaText, childPath(dir, "meta.yaml")).value);
  const versions = [];
  const entries = (await source.list(dir) ?? []).filter((n) => /^version-[0-9]+$/.test(n));
  if (entries.length > MAX_VERSIONS) throw new InputError(`${dir} holds more than ${MAX_VERSIONS} versions`);
  for (const entry of entries) {
    const file = childPath(childPath(dir, entry), "meta.yaml");
    const text = await readSourceText(source, file);
    if (text === void 0) continue;
    const v = mapping(parseYaml(text, file).value);
    versions.push({
      version: text_(v.version) ?? entry.slice("version-".length),
      ...text_(v.current_stage) !== void 0 ? { stage: text_(v.current_stage) } : {},
      ...text_(v.status) !== void 0 ? { status: text_(v.status) } : {},
      ...text_(v.run_id) ? { runId: text_(v.run_id) } : {},
      ...text_(v.model_id) ? { modelId: text_(v.model_id) } : {},
      ...text_(v.source) ? { source: text_(v.source) } : {}
    });
  }
  return {
    name: text_(meta.name) ?? name,
    ...text_(meta.description) ? { description: text_(meta.description) } : {},
    versions,
    aliases: await aliases(source, dir, meta.aliases),
    dir
  };
}
async function aliases(source, dir, fromMeta) {
  const aliasDir = childPath(dir, "aliases");
  const names = await source.list(aliasDir);
  if (names !== void 0) {
    const out = [];
    for (const n of names.filter((x) => !x.startsWith(".")).sort()) {
      const v = await readSourceText(source, childPath(aliasDir, n));
      if (v !== void 0) out.push({ alias: n, version: v.trim() });
    }
    return out;
  }
  return Object.entries(mapping(fromMeta)).map(([alias, version]) => ({ alias, version: String(version) }));
}
function mapping(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? v : {};
}
function text_(v) {
  if (v === void 0 || v === null) return void 0;
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : void 0;
}
export {
  readFileStoreModel
};
