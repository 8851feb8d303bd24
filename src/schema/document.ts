/**
 * Parsing YAML and JSON documents that users write, with source positions for messages and
 * hard limits against hostile input. Every loader (config, manifests, policies, run records,
 * MLflow metadata) goes through here, so every one of them refuses the same things the same way:
 *
 * - size over MAX_DOCUMENT_BYTES, nesting over MAX_DEPTH, more than MAX_ALIASES alias uses
 *   (billion-laughs), duplicate keys, unknown tags (`!!js/function`), multi-document streams;
 * - each refusal is an InputError naming the file, line and column (exit 2).
 */
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { InputError, InputErrors, type SourceLocation } from '../errors';

export const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;
export const MAX_DEPTH = 64;
export const MAX_ALIASES = 1000;

export type PathSegment = string | number;

export interface ParsedDocument {
  file: string;
  /** The plain JS value (objects, arrays, strings, numbers, booleans, null). */
  value: unknown;
  /** Where a JSON path points in the source (the value node, or its key for `key: true`). */
  locate(path: readonly PathSegment[], opts?: { key?: boolean }): SourceLocation;
}

/** `/versions/2/stage` from `['versions', 2, 'stage']` (RFC 6901 escaping). */
export function pointer(path: readonly PathSegment[]): string {
  return path.length === 0 ? '/' : path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function parsePointer(p: string): PathSegment[] {
  if (p === '' || p === '/') return [];
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

function checkSize(text: string, file: string): void {
  // String length is UTF-16 units; a cheap upper bound check first, exact bytes only when near.
  if (text.length > MAX_DOCUMENT_BYTES || (text.length > MAX_DOCUMENT_BYTES / 4 && Buffer.byteLength(text) > MAX_DOCUMENT_BYTES)) {
    throw new InputError(`file is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB`, {
      location: { file },
      hint: 'modelgate refuses oversized metadata files; check that this is the file you meant',
    });
  }
}

function depthOf(value: unknown, limit: number): number {
  // Iterative, so a hostile document cannot overflow our stack while we measure it.
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (d > max) max = d;
    if (max > limit) return max;
    if (v && typeof v === 'object') {
      for (const child of Object.values(v as Record<string, unknown>)) {
        if (child && typeof child === 'object') stack.push([child, d + 1]);
      }
    }
  }
  return max;
}

function checkDepth(value: unknown, file: string): void {
  if (depthOf(value, MAX_DEPTH) > MAX_DEPTH) {
    throw new InputError(`nesting is deeper than ${MAX_DEPTH} levels`, { location: { file }, hint: 'metadata files are shallow; this one looks generated or hostile' });
  }
}

function strip(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Finds the node at a path, or the deepest ancestor that exists. */
function nodeAt(doc: Document, path: readonly PathSegment[], key: boolean): YamlNode | undefined {
  let node: unknown = doc.contents;
  let found: YamlNode | undefined = (doc.contents as YamlNode | null) ?? undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && (isScalar(p.key) ? String(p.key.value) === String(seg) : String(p.key) === String(seg)));
      if (!pair) return found;
      if (last && key && pair.key) return pair.key as YamlNode;
      node = pair.value;
      if (pair.value) found = pair.value as YamlNode;
      else if (pair.key) found = pair.key as YamlNode;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined) return found;
      node = item;
      found = item as YamlNode;
    } else {
      return found;
    }
  }
  return found;
}

function locator(doc: Document, counter: LineCounter, file: string) {
  return (path: readonly PathSegment[], opts: { key?: boolean } = {}): SourceLocation => {
    const node = nodeAt(doc, path, opts.key === true);
    const offset = node?.range?.[0];
    const base = { file, jsonPath: pointer(path) };
    if (offset === undefined) return { ...base, line: 1, column: 1 };
    const pos = counter.linePos(offset);
    return { ...base, line: pos.line, column: pos.col };
  };
}

/** Parses one YAML document (YAML 1.2 core schema). Throws InputErrors with every syntax problem. */
export function parseYaml(text: string, file: string): ParsedDocument {
  checkSize(text, file);
  const counter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(strip(text), {
      lineCounter: counter,
      uniqueKeys: true,
      prettyErrors: false,
      strict: true,
      // Only the plain core tags; `!!js/function` and friends are errors, never code.
      customTags: [],
      version: '1.2',
    });
  } catch (err) {
    throw new InputError(`cannot parse YAML: ${(err as Error).message}`, { location: { file } });
  }
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length) {
    throw new InputErrors(
      problems.slice(0, 20).map((e) => {
        const pos = counter.linePos(e.pos[0]);
        return new InputError(yamlMessage(e.code, e.message), {
          location: { file, line: pos.line, column: pos.col },
          hint: yamlHint(e.code),
        });
      }),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    const message = err instanceof RangeError ? 'the document is nested too deeply' : (err as Error).message;
    throw new InputError(`cannot read YAML: ${message}`, {
      location: { file },
      hint: /alias/i.test(message) ? 'the document expands too many aliases (an alias bomb?); write values out plainly' : undefined,
    });
  }
  checkDepth(value, file);
  return { file, value, locate: locator(doc, counter, file) };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function yamlMessage(code: string, message: string): string {
  if (code === 'DUPLICATE_KEY') return 'duplicate key: each key may appear once in a mapping';
  if (code === 'TAG_RESOLVE_FAILED') return `unsupported YAML tag: ${firstLine(message)}`;
  return `invalid YAML: ${firstLine(message)}`;
}

function yamlHint(code: string): string | undefined {
  if (code === 'DUPLICATE_KEY') return 'remove or merge the repeated key';
  if (code === 'TAG_RESOLVE_FAILED') return 'remove the tag: only plain YAML values are read (custom tags such as !!js/function are never executed)';
  if (code === 'MULTIPLE_DOCS') return 'keep one document per file (remove the extra ---)';
  if (code === 'BAD_ALIAS' || code === 'ALIAS_PROPS') return 'check the anchors (&name) and aliases (*name)';
  return 'check indentation and quoting around this line';
}

/**
 * Parses JSON with the fast native parser; positions are computed (through the YAML parser,
 * JSON being YAML) only when a message needs one.
 */
export function parseJson(text: string, file: string, opts: { maxBytes?: number } = {}): ParsedDocument {
  const limit = opts.maxBytes ?? MAX_DOCUMENT_BYTES;
  if (Buffer.byteLength(text) > limit) {
    throw new InputError(`file is larger than ${Math.round(limit / 1024 / 1024)} MiB`, { location: { file } });
  }
  const source = strip(text);
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    const loc: SourceLocation = { file };
    if (m) {
      const before = source.slice(0, Number(m[1]));
      loc.line = before.split('\n').length;
      loc.column = before.length - before.lastIndexOf('\n');
    }
    throw new InputError(`invalid JSON: ${(err as Error).message.replace(/^JSON\.parse: /, '')}`, { location: loc, hint: 'check for a missing comma, quote or bracket near here' });
  }
  checkDepth(value, file);
  let located: ((path: readonly PathSegment[], o?: { key?: boolean }) => SourceLocation) | undefined;
  return {
    file,
    value,
    locate(path, o) {
      if (!located) {
        const counter = new LineCounter();
        const doc = parseDocument(source, { lineCounter: counter, uniqueKeys: false, version: '1.2' });
        located = locator(doc, counter, file);
      }
      return located(path, o);
    },
  };
}

/** A value's JSON type name, for messages. */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v === 'number' && Number.isInteger(v) ? 'an integer' : typeof v === 'string' ? 'a string' : typeof v === 'boolean' ? 'a boolean' : 'a number'} (${JSON.stringify(v)})`;
}
