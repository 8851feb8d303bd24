/**
 * Canonical JSON (RFC 8785, JCS) and the digest the audit chain is built on. Serialization is
 * delegated to the `canonicalize` package; this module adds the guards that make a value
 * canonicalizable without silent changes (JCS has no NaN/Infinity, and `canonicalize` would
 * quietly turn `undefined` array items into `null`).
 *
 * Key order is by UTF-16 code units (RFC 8785 section 3.2.3). It equals code-point order for
 * every key made of BMP characters; they differ only when comparing a supplementary character
 * (an emoji) with a character in U+E000..U+FFFF.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** Metric evidence is stored as JSON: non-finite numbers become the strings run records use (SPEC section 3). */
export function jsonSafeNumber(n: number): number | string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return n;
}

/** RFC 8785 text of `value`. Throws an Error naming the offending path for anything JCS cannot represent. */
export function canonicalJson(value: unknown): string {
  assertCanonicalizable(value, '$');
  return serialize(value);
}

/**
 * True when every object in a parsed JSON value lists its keys in RFC 8785 order. JSON.parse
 * keeps the text's key order (integer-like keys aside, which V8 moves first; those make this
 * false or the texts differ, never a false "canonical"), so a parsed value with sorted keys
 * whose `JSON.stringify` equals its source text is canonical: JSON.stringify serializes
 * strings and numbers exactly as RFC 8785 does, except that it escapes lone surrogates as
 * `\uDxxx` where RFC 8785 refuses them (so text with `\u` escapes needs the full check).
 */
export function keysSorted(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (!keysSorted(item)) return false;
    return true;
  }
  const obj = value as Record<string, unknown>;
  let prev: string | undefined;
  for (const k in obj) {
    if (prev !== undefined && !(prev < k)) return false; // `<` on strings compares UTF-16 code units, as RFC 8785 sorts
    if (!keysSorted(obj[k])) return false;
    prev = k;
  }
  return true;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function serialize(value: unknown): string {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (err) {
    // The library's own refusals (lone surrogates, cycles) carry no path; say what it means.
    throw new Error(`cannot canonicalize JSON: ${(err as Error).message}`, { cause: err });
  }
  if (text === undefined) throw new Error('cannot canonicalize JSON: the value is undefined');
  return text;
}

function assertCanonicalizable(value: unknown, path: string): void {
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) {
        throw new Error(`cannot canonicalize JSON: ${path} is ${value}; store non-finite numbers with jsonSafeNumber()`);
      }
      return;
    case 'bigint':
    case 'function':
    case 'symbol':
      throw new Error(`cannot canonicalize JSON: ${path} is a ${typeof value}, which JSON cannot represent`);
    case 'object':
      if (value === null) return;
      if (value instanceof Map || value instanceof Set) {
        throw new Error(`cannot canonicalize JSON: ${path} is a ${value.constructor.name}; convert it to an object or array`);
      }
      if (Array.isArray(value)) {
        value.forEach((item, i) => {
          if (item === undefined) throw new Error(`cannot canonicalize JSON: ${path}[${i}] is undefined`);
          assertCanonicalizable(item, `${path}[${i}]`);
        });
        return;
      }
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return; // e.g. Date: serialized via toJSON
      for (const [k, v] of Object.entries(value)) {
        if (v !== undefined) assertCanonicalizable(v, `${path}.${k}`); // undefined members are omitted, as JSON.stringify does
      }
      return;
    default:
      return; // string, boolean, undefined at the top level (rejected by serialize)
  }
}
