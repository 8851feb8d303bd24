/**
 * MLflow model signatures: `{inputs, outputs, params}` where each part is a schema (a list of
 * column specs or of tensor specs) or null. In an MLmodel file each part is a JSON *string*;
 * in a portable run record it is the list itself. Parsing never throws to the reader's caller:
 * a bad signature becomes `{state: 'invalid'}` and the policy engine fails closed on it.
 */
import type { ColumnSpec, ColumnType, ParamSpec, Signature, SignatureState, Spec, TensorSpec } from './types';

/** What is wrong with a signature, with where in it (`inputs[2].type`). */
export class SignatureError extends Error {}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(where: string, what: string): never {
  throw new SignatureError(`${where}: ${what}`);
}

/**
 * Parses the `signature` mapping of an MLmodel file (or of a `mlflow.log-model.history` entry):
 * each part a JSON string, or null/absent. Lists already decoded are accepted too.
 */
export function parseMlflowSignature(raw: unknown): Signature {
  return parseParts(raw, true);
}

/** Parses a portable run record's `signature` (each part a list, or null/absent). */
export function parseSignature(raw: unknown): Signature {
  return parseParts(raw, false);
}

/** Runs a parser and turns its failure into the `invalid` state, naming `source`. */
export function signatureState(source: string, parse: () => Signature): SignatureState {
  try {
    return { state: 'found', signature: parse(), source };
  } catch (err) {
    if (err instanceof SignatureError) return { state: 'invalid', source, error: err.message };
    throw err;
  }
}

function parseParts(raw: unknown, encoded: boolean): Signature {
  if (!isObject(raw)) fail('signature', 'must be a mapping with inputs and outputs');
  return {
    inputs: schemaPart(raw.inputs, 'inputs', encoded, parseSchema),
    outputs: schemaPart(raw.outputs, 'outputs', encoded, parseSchema),
    params: schemaPart(raw.params, 'params', encoded, parseParams),
  };
}

function schemaPart<T>(value: unknown, where: string, encoded: boolean, parse: (list: unknown[], where: string) => T): T | null {
  if (value === undefined || value === null) return null;
  let decoded = value;
  if (typeof value === 'string' && encoded) {
    try {
      decoded = JSON.parse(value);
    } catch (err) {
      fail(where, `is not valid JSON (${(err as Error).message})`);
    }
    if (decoded === null) return null;
  }
  if (!Array.isArray(decoded)) fail(where, encoded ? 'must be a JSON list of column or tensor specs' : 'must be a list of column or tensor specs');
  return parse(decoded, where);
}

/** A schema: all column specs or all tensor specs, all named or all unnamed (MLflow's rule). */
function parseSchema(list: unknown[], where: string): Spec[] {
  const specs = list.map((item, i) => parseSpec(item, `${where}[${i}]`));
  const kinds = new Set(specs.map((s) => s.kind));
  if (kinds.size > 1) fail(where, 'mixes column specs and tensor specs');
  const named = new Set(specs.map((s) => s.name !== undefined));
  if (named.size > 1) fail(where, 'mixes named and unnamed specs');
  return specs;
}

function parseSpec(raw: unknown, where: string): Spec {
  if (!isObject(raw)) fail(where, 'must be an object with a type');
  const name = raw.name;
  if (name !== undefined && name !== null && typeof name !== 'string') fail(`${where}.name`, 'must be a string or null');
  const named = typeof name === 'string' ? { name } : {};
  if (raw.type === 'tensor') return { kind: 'tensor', ...named, ...parseTensor(raw['tensor-spec'], `${where}.tensor-spec`) } satisfies TensorSpec;
  return { kind: 'column', ...named, type: parseType(raw, where), required: parseRequired(raw, where) } satisfies ColumnSpec;
}

function parseTensor(raw: unknown, where: string): { dtype: string; shape: number[] } {
  if (!isObject(raw)) fail(where, 'must be an object with dtype and shape');
  const { dtype, shape } = raw;
  if (typeof dtype !== 'string' || dtype === '') fail(`${where}.dtype`, 'must be a numpy dtype name');
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= -1)) {
    fail(`${where}.shape`, 'must be a list of integers (-1 for a variable dimension)');
  }
  return { dtype, shape: shape as number[] };
}

/** `required`, else the inverse of the older `optional`, else required. */
function parseRequired(raw: Obj, where: string): boolean {
  if (raw.required !== undefined) {
    if (typeof raw.required !== 'boolean') fail(`${where}.required`, 'must be true or false');
    return raw.required;
  }
  if (raw.optional !== undefined) {
    if (typeof raw.optional !== 'boolean') fail(`${where}.optional`, 'must be true or false');
    return !raw.optional;
  }
  return true;
}

/**
 * A column type: a scalar name, or a nested array/object/map. Scalar names are kept as written,
 * known or not, so a newer MLflow type reads (and compares as a type change if it differs).
 */
function parseType(node: Obj, where: string): ColumnType {
  const t = node.type;
  if (t === 'array') {
    const items = node.items;
    if (typeof items === 'string' && items !== '') return { type: 'array', items };
    if (!isObject(items)) fail(`${where}.items`, 'must describe the element type');
    return { type: 'array', items: parseType(items, `${where}.items`) };
  }
  if (t === 'object') {
    const props = node.properties;
    if (!isObject(props)) fail(`${where}.properties`, 'must map field names to their types');
    const properties: Record<string, { type: ColumnType; required: boolean }> = {};
    for (const [field, spec] of Object.entries(props)) {
      const at = `${where}.properties.${field}`;
      if (!isObject(spec)) fail(at, 'must be an object with a type');
      properties[field] = { type: parseType(spec, at), required: parseRequired(spec, at) };
    }
    return { type: 'object', properties };
  }
  if (t === 'map') {
    const values = node.values;
    if (typeof values === 'string' && values !== '') return { type: 'map', values };
    if (!isObject(values)) fail(`${where}.values`, 'must describe the value type');
    return { type: 'map', values: parseType(values, `${where}.values`) };
  }
  if (typeof t === 'string' && t !== '') return t;
  fail(`${where}.type`, t === undefined ? 'is missing' : 'must be a type name');
}

function parseParams(list: unknown[], where: string): ParamSpec[] {
  return list.map((raw, i) => {
    const at = `${where}[${i}]`;
    if (!isObject(raw)) fail(at, 'must be an object with name and type');
    if (typeof raw.name !== 'string' || raw.name === '') fail(`${at}.name`, 'must be a non-empty string');
    if (typeof raw.type !== 'string' || raw.type === '') fail(`${at}.type`, 'must be a type name');
    const shape = raw.shape;
    if (shape !== undefined && shape !== null && !(Array.isArray(shape) && shape.every((d) => Number.isInteger(d)))) {
      fail(`${at}.shape`, 'must be null or a list of integers');
    }
    const spec: ParamSpec = { name: raw.name, type: raw.type };
    if ('default' in raw) spec.default = raw.default;
    if (shape !== undefined) spec.shape = shape as number[] | null;
    return spec;
  });
}
