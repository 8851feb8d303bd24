/**
 * Parsing YAML and JSON documents that users write, with source positions for messages and
 * hard limits against hostile input. Every loader (config, manifests, policies, run records,
 * MLflow metadata) goes through here, so every one of them refuses the same things the same way:
 *
 * - size over MAX_DOCUMENT_BYTES, YAML over MAX_YAML_TOKENS tokens, nesting over MAX_DEPTH,
 *   more than MAX_ALIASES alias uses (billion-laughs), duplicate keys (YAML and JSON), unknown
 *   tags (`!!js/function`), multi-document streams;
 * - each refusal is an InputError naming the file, line and column (exit 2).
 */
import { Composer, Lexer, LineCounter, Parser, YAMLParseError, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { InputError, InputErrors, type SourceLocation } from '../errors';

export const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;
export const MAX_DEPTH = 64;
export const MAX_ALIASES = 1000;
/**
 * YAML costs far more per byte than JSON (each token becomes a node, ~10-20 µs and ~500 bytes
 * on a busy runner): 8 MiB of `1,` is four million nodes, a minute and gigabytes. A document
 * with more lexical tokens than this is refused while it is lexed, before any node is built.
 * A 1,000-version manifest has about 40,000.
 */
export const MAX_YAML_TOKENS = 200_000;

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

const TOO_DEEP = `nesting is deeper than ${MAX_DEPTH} levels`;
const DEEP_HINT = 'metadata files are shallow; this one looks generated or hostile';

function checkDepth(value: unknown, file: string): void {
  if (depthOf(value, MAX_DEPTH) > MAX_DEPTH) {
    throw new InputError(TOO_DEEP, { location: { file }, hint: DEEP_HINT });
  }
}

/**
 * The YAML parser recurses per nesting level; a hostile document thousands of levels deep
 * overflows the stack inside it. The parser catches that and reports it as a syntax error;
 * it means "too deep", which is what the user is told.
 */
function isStackOverflow(message: string): boolean {
  return message.includes('Maximum call stack size exceeded');
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
  const source = strip(text);
  let doc: Document;
  try {
    doc = composeYaml(source, counter);
  } catch (err) {
    if (err instanceof TooManyTokens) {
      throw new InputError(`the document has more than ${MAX_YAML_TOKENS.toLocaleString('en-US')} YAML tokens`, {
        location: { file, ...lineColumn(source, err.offset) },
        hint: 'registry metadata is small; this file looks generated or hostile (write large data to an artifact instead)',
      });
    }
    throw new InputError(`cannot parse YAML: ${(err as Error).message}`, { location: { file } });
  }
  const problems = [...doc.errors, ...doc.warnings, ...duplicateKeys(doc)];
  if (problems.length) {
    throw new InputErrors(
      problems.slice(0, 20).map((e) => {
        const pos = counter.linePos(e.pos[0]);
        const deep = isStackOverflow(e.message);
        return new InputError(deep ? TOO_DEEP : yamlMessage(e.code, e.message), {
          location: { file, line: pos.line, column: pos.col },
          hint: deep ? DEEP_HINT : yamlHint(e.code),
        });
      }),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    if (err instanceof RangeError || isStackOverflow((err as Error).message)) throw new InputError(TOO_DEEP, { location: { file }, hint: DEEP_HINT });
    const message = (err as Error).message;
    throw new InputError(`cannot read YAML: ${message}`, {
      location: { file },
      hint: /alias/i.test(message) ? 'the document expands too many aliases (an alias bomb?); write values out plainly' : undefined,
    });
  }
  checkDepth(value, file);
  return { file, value, locate: locator(doc, counter, file) };
}

class TooManyTokens extends Error {
  constructor(readonly offset: number) {
    super('too many YAML tokens');
  }
}

/**
 * parseDocument, with the lexer's tokens counted on the way in (the "user-provided lexer"
 * pattern of the yaml library) so a document over MAX_YAML_TOKENS stops before its nodes exist.
 * Keys are checked for uniqueness afterwards in one linear pass: the library's own check
 * compares each key with every earlier one (20,000 keys take seconds, 100,000 minutes).
 */
function composeYaml(text: string, counter: LineCounter): Document {
  const lexer = new Lexer();
  const parser = new Parser(counter.addNewLine);
  const composer = new Composer({
    uniqueKeys: false,
    prettyErrors: false,
    strict: true,
    // Only the plain core tags; `!!js/function` and friends are errors, never code.
    customTags: [],
    version: '1.2',
  });
  function* tokens() {
    counter.addNewLine(0); // what Parser.parse does for the first line
    let n = 0;
    let offset = 0;
    for (const lexeme of lexer.lex(text)) {
      if (++n > MAX_YAML_TOKENS) throw new TooManyTokens(offset);
      offset += lexeme.length;
      yield* parser.next(lexeme);
    }
    yield* parser.end();
  }
  let doc: Document | undefined;
  for (const d of composer.compose(tokens(), true, text.length)) {
    if (!doc) doc = d;
    else {
      doc.errors.push(new YAMLParseError([d.range[0], d.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents'));
      break;
    }
  }
  // compose(…, forceDoc = true) always yields a document, even for empty input.
  return doc!;
}

/**
 * Keys repeated in one mapping, as parse errors at the repetition. Keys are compared as the
 * object keys they become (`1` and "1" collide there, so they are duplicates here).
 */
function duplicateKeys(doc: Document): YAMLParseError[] {
  const found: YAMLParseError[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length && found.length < 20) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key;
        const id = isScalar(key) ? String(key.value) : String(key);
        if (seen.has(id)) {
          const at = (key as YamlNode | null)?.range?.[0] ?? node.range?.[0] ?? 0;
          found.push(new YAMLParseError([at, at + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
        }
        seen.add(id);
        stack.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    } else if (isAlias(node)) {
      continue; // the anchored node is visited where it is defined
    }
  }
  return found.sort((a, b) => a.pos[0] - b.pos[0]);
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
  const dup = firstDuplicateKey(source);
  if (dup) {
    throw new InputError(`duplicate key ${JSON.stringify(dup.key)}: each key may appear once in an object`, {
      location: { file, ...lineColumn(source, dup.offset) },
      hint: 'remove or merge the repeated key (JSON readers disagree on which copy wins)',
    });
  }
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

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/**
 * The first key repeated within one object of `text`, which must be valid JSON (JSON.parse
 * accepted it), with the offset of the repetition. JSON.parse silently keeps the last copy,
 * other readers the first: a record that says two things is refused, as in YAML. One linear
 * pass: strings are skipped with indexOf, and only keys are decoded.
 */
export function firstDuplicateKey(text: string): { key: string; offset: number } | undefined {
  // One entry per open container: the keys seen so far for an object, null for an array.
  const open: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      let end = text.indexOf('"', i + 1);
      // A quote preceded by an odd number of backslashes is escaped: keep looking.
      for (;;) {
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === 0x5c) slashes++;
        if (slashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      i = end;
      if (expectKey) {
        expectKey = false;
        const raw = text.slice(start + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(start, end + 1)) as string) : raw;
        const keys = open[open.length - 1];
        if (keys?.has(key)) return { key, offset: start };
        keys?.add(key);
      }
    } else if (c === 0x7b /* { */) {
      open.push(new Set());
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      open.push(null);
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      open.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = open[open.length - 1] instanceof Set;
    }
  }
  return undefined;
}

/** A value's JSON type name, for messages. */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v === 'number' && Number.isInteger(v) ? 'an integer' : typeof v === 'string' ? 'a string' : typeof v === 'boolean' ? 'a boolean' : 'a number'} (${JSON.stringify(v)})`;
}
