import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);

// src/runs/signature.ts
var SignatureError = class extends Error {
};
function isObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function fail(where, what) {
  throw new SignatureError(`${where}: ${what}`);
}
function parseMlflowSignature(raw) {
  return parseParts(raw, true);
}
function parseSignature(raw) {
  return parseParts(raw, false);
}
function signatureState(source, parse) {
  try {
    return { state: "found", signature: parse(), source };
  } catch (err) {
    if (err instanceof SignatureError) return { state: "invalid", source, error: err.message };
    throw err;
  }
}
function parseParts(raw, encoded) {
  if (!isObject(raw)) fail("signature", "must be a mapping with inputs and outputs");
  return {
    inputs: schemaPart(raw.inputs, "inputs", encoded, parseSchema),
    outputs: schemaPart(raw.outputs, "outputs", encoded, parseSchema),
    params: schemaPart(raw.params, "params", encoded, parseParams)
  };
}
function schemaPart(value, where, encoded, parse) {
  if (value === void 0 || value === null) return null;
  let decoded = value;
  if (typeof value === "string" && encoded) {
    try {
      decoded = JSON.parse(value);
    } catch (err) {
      fail(where, `is not valid JSON (${err.message})`);
    }
    if (decoded === null) return null;
  }
  if (!Array.isArray(decoded)) fail(where, encoded ? "must be a JSON list of column or tensor specs" : "must be a list of column or tensor specs");
  return parse(decoded, where);
}
function parseSchema(list, where) {
  const specs = list.map((item, i) => parseSpec(item, `${where}[${i}]`));
  const kinds = new Set(specs.map((s) => s.kind));
  if (kinds.size > 1) fail(where, "mixes column specs and tensor specs");
  const named = new Set(specs.map((s) => s.name !== void 0));
  if (named.size > 1) fail(where, "mixes named and unnamed specs");
  return specs;
}
function parseSpec(raw, where) {
  if (!isObject(raw)) fail(where, "must be an object with a type");
  const name = raw.name;
  if (name !== void 0 && name !== null && typeof name !== "string") fail(`${where}.name`, "must be a string or null");
  const named = typeof name === "string" ? { name } : {};
  if (raw.type === "tensor") return { kind: "tensor", ...named, ...parseTensor(raw["tensor-spec"], `${where}.tensor-spec`) };
  return { kind: "column", ...named, type: parseType(raw, where), required: parseRequired(raw, where) };
}
function parseTensor(raw, where) {
  if (!isObject(raw)) fail(where, "must be an object with dtype and shape");
  const { dtype, shape } = raw;
  if (typeof dtype !== "string" || dtype === "") fail(`${where}.dtype`, "must be a numpy dtype name");
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= -1)) {
    fail(`${where}.shape`, "must be a list of integers (-1 for a variable dimension)");
  }
  return { dtype, shape };
}
function parseRequired(raw, where) {
  if (raw.required !== void 0) {
    if (typeof raw.required !== "boolean") fail(`${where}.required`, "must be true or false");
    return raw.required;
  }
  if (raw.optional !== void 0) {
    if (typeof raw.optional !== "boolean") fail(`${where}.optional`, "must be true or false");
    return !raw.optional;
  }
  return true;
}
function parseType(node, where) {
  const t = node.type;
  if (t === "array") {
    const items = node.items;
    if (typeof items === "string" && items !== "") return { type: "array", items };
    if (!isObject(items)) fail(`${where}.items`, "must describe the element type");
    return { type: "array", items: parseType(items, `${where}.items`) };
  }
  if (t === "object") {
    const props = node.properties;
    if (!isObject(props)) fail(`${where}.properties`, "must map field names to their types");
    const properties = {};
    for (const [field, spec] of Object.entries(props)) {
      const at = `${where}.properties.${field}`;
      if (!isObject(spec)) fail(at, "must be an object with a type");
      properties[field] = { type: parseType(spec, at), required: parseRequired(spec, at) };
    }
    return { type: "object", properties };
  }
  if (t === "map") {
    const values = node.values;
    if (typeof values === "string" && values !== "") return { type: "map", values };
    if (!isObject(values)) fail(`${where}.values`, "must describe the value type");
    return { type: "map", values: parseType(values, `${where}.values`) };
  }
  if (typeof t === "string" && t !== "") return t;
  fail(`${where}.type`, t === void 0 ? "is missing" : "must be a type name");
}
function parseParams(list, where) {
  return list.map((raw, i) => {
    const at = `${where}[${i}]`;
    if (!isObject(raw)) fail(at, "must be an object with name and type");
    if (typeof raw.name !== "string" || raw.name === "") fail(`${at}.name`, "must be a non-empty string");
    if (typeof raw.type !== "string" || raw.type === "") fail(`${at}.type`, "must be a type name");
    const shape = raw.shape;
    if (shape !== void 0 && shape !== null && !(Array.isArray(shape) && shape.every((d) => Number.isInteger(d)))) {
      fail(`${at}.shape`, "must be null or a list of integers");
    }
    const spec = { name: raw.name, type: raw.type };
    if ("default" in raw) spec.default = raw.default;
    if (shape !== void 0) spec.shape = shape;
    return spec;
  });
}

export {
  SignatureError,
  parseMlflowSignature,
  parseSignature,
  signatureState
};
