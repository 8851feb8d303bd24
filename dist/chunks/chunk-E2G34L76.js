import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  parseMlflowSignature,
  signatureState
} from "./chunk-D7WOBC7Y.js";
import {
  childPath,
  readSourceText
} from "./chunk-PNMDNJGF.js";
import {
  parseYaml
} from "./chunk-HYWAOBHT.js";
import {
  InputError,
  InputErrors,
  formatLocation
} from "./chunk-RTQ2UXCO.js";

// src/runs/mlflow/mlmodel.ts
async function hasMlmodel(source, dir) {
  return await source.stat(childPath(dir, "MLmodel")) !== void 0;
}
async function mlmodelSignature(source, dir) {
  const path = childPath(dir, "MLmodel");
  const file = source.describe(path);
  let value;
  try {
    const text = await readSourceText(source, path);
    if (text === void 0) return void 0;
    value = parseYaml(text, file).value;
  } catch (err) {
    if (err instanceof InputError || err instanceof InputErrors) return { state: "invalid", source: file, error: describeError(err) };
    throw err;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { state: "invalid", source: file, error: "MLmodel is not a YAML mapping" };
  }
  const signature = value.signature;
  if (signature === void 0 || signature === null) return { state: "absent", source: file };
  return signatureState(file, () => parseMlflowSignature(signature));
}
function describeError(err) {
  const first = err instanceof InputErrors ? err.errors[0] : err;
  if (!first) return err.message;
  return first.location ? `${formatLocation(first.location)}: ${first.message}` : first.message;
}

export {
  hasMlmodel,
  mlmodelSignature
};
