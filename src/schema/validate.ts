/**
 * JSON Schema validation (ajv) of a parsed document, with every error turned into an
 * InputError that names the file, line, column and JSON path, and says what to do: did-you-mean
 * for unknown keys and enum values, the allowed values otherwise, and a schema's own `x-hint`.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { InputError } from '../errors';
import { didYouMean } from './didYouMean';
import { parsePointer, typeName, type ParsedDocument, type PathSegment } from './document';
import { precompiled } from './precompiled';
import AJV_OPTIONS from '../../schemas/ajv-options.json';

/** JSON Schemas are plain JSON objects (from `schemas/*.json`). */
export type JsonSchema = Record<string, unknown>;

let ajv: Ajv | undefined;
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

function validator(schema: JsonSchema): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    const id = schema.$id;
    // allErrors: report every problem at once; verbose: parentSchema gives the allowed keys.
    v = (typeof id === 'string' ? precompiled[id] : undefined) ?? (ajv ??= addFormats(new Ajv(AJV_OPTIONS))).compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

const MAX_ERRORS = 20;

/** Validates `doc.value`; returns the problems (empty when valid). */
export function schemaErrors(schema: JsonSchema, doc: ParsedDocument): InputError[] {
  const validate = validator(schema);
  if (validate(doc.value)) return [];
  return reduce(validate.errors ?? [])
    .slice(0, MAX_ERRORS)
    .map((e) => toInputError(e, doc));
}

/**
 * ajv reports every failing branch of a oneOf/anyOf; users want the most specific one. Keep,
 * per location, the errors of the deepest paths, and drop the umbrella "must match a schema".
 */
function reduce(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if');
  const list = specific.length ? specific : errors;
  const seen = new Set<string>();
  return list.filter((e) => {
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function label(path: readonly PathSegment[]): string {
  const last = path[path.length - 1];
  return last === undefined ? 'the document' : typeof last === 'number' ? `item ${last + 1} of '${String(path[path.length - 2] ?? '')}'` : `'${last}'`;
}

function toInputError(e: ErrorObject, doc: ParsedDocument): InputError {
  const path = parsePointer(e.instancePath);
  const parent = e.parentSchema as JsonSchema | undefined;
  const schemaHint = typeof parent?.['x-hint'] === 'string' ? (parent['x-hint'] as string) : undefined;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys((parent?.properties as Record<string, unknown> | undefined) ?? {});
      const near = didYouMean(key, allowed);
      return new InputError(`unknown key '${key}'${path.length ? ` in ${label(path)}` : ''}`, {
        location: doc.locate([...path, key], { key: true }),
        hint: near ? `did you mean '${near}'?` : allowed.length ? `allowed keys: ${allowed.join(', ')}` : 'remove it',
      });
    }
    case 'required': {
      const key = String((e.params as { missingProperty: string }).missingProperty);
      return new InputError(`missing required key '${key}'${path.length ? ` in ${label(path)}` : ''}`, {
        location: doc.locate(path),
        hint: schemaHint ?? `add '${key}:'`,
      });
    }
    case 'enum': {
      const allowed = ((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      const near = didYouMean(String(e.data), allowed);
      return new InputError(`${label(path)} is ${typeName(e.data)}, which is not one of ${allowed.join(', ')}`, {
        location: doc.locate(path),
        hint: near ? `did you mean '${near}'? (exact case)` : schemaHint ?? `use one of ${allowed.join(', ')}`,
      });
    }
    case 'const':
      return new InputError(`${label(path)} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}, got ${typeName(e.data)}`, {
        location: doc.locate(path),
        hint: schemaHint,
      });
    case 'type':
      return new InputError(`${label(path)} must be ${article((e.params as { type: string | string[] }).type)}, got ${typeName(e.data)}`, {
        location: doc.locate(path),
        hint: schemaHint,
      });
    case 'pattern':
      return new InputError(`${label(path)} ${JSON.stringify(e.data)} does not match ${(e.params as { pattern: string }).pattern}`, {
        location: doc.locate(path),
        hint: schemaHint,
      });
    default:
      return new InputError(`${label(path)} ${e.message ?? 'is invalid'}`, { location: doc.locate(path), hint: schemaHint });
  }
}

/** `a mapping`, `a list or null`: ajv gives a schema's `type` as written, a string or a list (`["object", "null"]`). */
function article(type: string | string[]): string {
  const one = (t: string) => (t === 'object' ? 'a mapping' : t === 'array' ? 'a list' : t === 'null' ? 'null' : /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
  return (Array.isArray(type) ? type : type.split(',')).map((t) => one(t.trim())).join(' or ');
}
