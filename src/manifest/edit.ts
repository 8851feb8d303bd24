/**
 * Comment-preserving, minimal-diff edits of manifest TEXT (SPEC section 2: "the git diff of a
 * promotion touches only the lines that change").
 *
 * The `yaml` Document API finds the nodes and their source ranges; the edit splices the source
 * text there, so everything not changed stays byte-identical: comments, quoting, key order,
 * blank lines, CRLF line endings. Every result is re-loaded and compared with the manifest the
 * edit means to produce; a layout that cannot be spliced safely (flow-style versions, anchors)
 * falls back to re-rendering the edited Document, and if even that does not give the intended
 * manifest the edit is refused rather than written.
 */
import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, isSeq, parseDocument, stringify, type Document, type Pair, type YAMLMap } from 'yaml';
import { InputError, InputErrors } from '../errors';
import { ALIAS_NAME_PATTERN, DIGEST_PATTERN, loadManifest, versionOf } from './load';
import { STAGES, type Manifest, type ModelVersion, type Stage } from './types';

export function setStage(text: string, file: string, version: number, stage: Stage): string {
  if (!STAGES.includes(stage)) {
    throw new InputError(`'${String(stage)}' is not a stage`, { location: { file }, hint: `use one of ${STAGES.join(', ')}` });
  }
  return edit(text, file, {
    intended: (m) => {
      const i = versionIndex(m, file, version);
      return { ...m, versions: m.versions.map((v, j) => (j === i ? { ...v, stage } : v)) };
    },
    splice: (src) => replaceScalar(src.text, versionItem(src, version).get('stage', true), stage),
    document: (doc, m) => void doc.setIn(['versions', versionIndex(m, file, version), 'stage'], stage),
  });
}

export function setAlias(text: string, file: string, alias: string, version: number): string {
  assertAliasName(alias, file);
  return edit(text, file, {
    intended: (m) => {
      versionIndex(m, file, version);
      return { ...m, aliases: { ...m.aliases, [alias]: version } };
    },
    splice: (src) => spliceAlias(src, alias, version),
    document: (doc) => void doc.setIn(['aliases', alias], version),
  });
}

export function removeAlias(text: string, file: string, alias: string): string {
  return edit(text, file, {
    intended: (m) => {
      if (!(alias in m.aliases)) {
        const known = Object.keys(m.aliases);
        throw new InputError(`${m.name} has no alias '${alias}'`, {
          location: { file },
          hint: known.length ? `aliases: ${known.join(', ')}` : 'the manifest has no aliases',
        });
      }
      const aliases = { ...m.aliases };
      delete aliases[alias];
      return { ...m, aliases };
    },
    splice: (src) => spliceRemoveAlias(src, alias),
    document: (doc) => void doc.deleteIn(['aliases', alias]),
  });
}

export function setDigest(text: string, file: string, version: number, digest: string): string {
  return setDigestField(text, file, version, 'digest', digest);
}

/** Writes a version's `evidence:` digest (SPEC section 6), right after `digest:` (or `artifact:`, `run:`). */
export function setEvidence(text: string, file: string, version: number, evidence: string): string {
  return setDigestField(text, file, version, 'evidence', evidence);
}

/** The keys a digest field is written after, nearest first (SPEC key order: version, run, artifact, digest, evidence, stage). */
const WRITTEN_AFTER: Record<'digest' | 'evidence', readonly string[]> = { digest: ['artifact', 'run'], evidence: ['digest', 'artifact', 'run'] };

function setDigestField(text: string, file: string, version: number, key: 'digest' | 'evidence', value: string): string {
  if (!DIGEST_PATTERN.test(value)) {
    throw new InputError(`'${value}' is not a sha256 digest`, { location: { file }, hint: 'a digest is sha256: followed by 64 lowercase hex digits' });
  }
  return edit(text, file, {
    intended: (m) => {
      const i = versionIndex(m, file, version);
      return { ...m, versions: m.versions.map((v, j) => (j === i ? versionOf({ ...v, [key]: value }) : v)) };
    },
    splice: (src) => spliceDigestField(src, version, key, value),
    document: (doc, m) => {
      const item = doc.getIn(['versions', versionIndex(m, file, version)], true);
      if (!isMap(item)) throw new CannotSplice();
      if (item.has(key)) return void item.set(key, value);
      const after = Math.max(...WRITTEN_AFTER[key].map((k) => indexOfKey(item, k)));
      item.items.splice(after + 1, 0, doc.createPair(key, value) as Pair<unknown, unknown>);
    },
  });
}

export function addVersion(text: string, file: string, entry: ModelVersion): string {
  const added = checkedEntry(entry, file);
  return edit(text, file, {
    intended: (m) => {
      if (m.versions.some((v) => v.version === added.version)) {
        throw new InputError(`${m.name} already has a version ${added.version}`, { location: { file }, hint: 'version numbers are never reused; use the next free number' });
      }
      return { ...m, versions: [...m.versions, added] };
    },
    splice: (src) => spliceVersion(src, added),
    document: (doc) => {
      const seq = doc.get('versions', true);
      if (!isSeq(seq)) throw new CannotSplice();
      if (seq.items.length === 0) seq.flow = false;
      seq.add(doc.createNode({ ...added }));
    },
  });
}

// ---------------------------------------------------------------------------------------------
// The edit pipeline

interface Source {
  text: string;
  eol: string;
  doc: Document.Parsed;
  root: YAMLMap;
}

interface Edit {
  /** The manifest the edit must produce; throws InputError when the target does not exist. */
  intended(m: Manifest): Manifest;
  /** The minimal text splice; throws CannotSplice for a layout it does not handle. */
  splice(src: Source): string;
  /** The same edit on a Document (fallback, re-rendered). */
  document(doc: Document.Parsed, m: Manifest): void;
}

/** A layout the splice does not handle; the edit falls back to the Document API. */
class CannotSplice extends Error {}

function edit(text: string, file: string, e: Edit): string {
  // The text must be a valid manifest first: an edit never makes a broken file "valid-looking".
  const before = loadManifest(text, file, { singleProduction: false }).manifest;
  const intended = e.intended(before);
  const src = source(text);
  try {
    const out = e.splice(src);
    if (reloadsTo(out, file, intended)) return out;
  } catch (err) {
    if (!(err instanceof CannotSplice)) throw err;
  }
  const fallback = documentEdit(src, (doc) => e.document(doc, before));
  if (fallback !== undefined && reloadsTo(fallback, file, intended)) return fallback;
  throw new InputError(`cannot edit ${file} without changing more than intended`, {
    location: { file },
    hint: 'the file uses YAML anchors, aliases or tags that modelgate cannot rewrite safely; write those values out plainly and retry',
  });
}

function source(text: string): Source {
  // Offsets of this parse index `text` itself (a BOM included), which is what the splices need.
  const doc = parseDocument(text, { version: '1.2', uniqueKeys: true });
  const root = doc.contents;
  if (!isMap(root)) throw new CannotSplice();
  return { text, eol: text.includes('\r\n') ? '\r\n' : '\n', doc, root };
}

function documentEdit(src: Source, mutate: (doc: Document.Parsed) => void): string | undefined {
  try {
    const doc = parseDocument(src.text, { version: '1.2', uniqueKeys: true });
    mutate(doc);
    let out = doc.toString({ lineWidth: 0 });
    if (src.eol === '\r\n') out = out.replace(/\r?\n/g, '\r\n');
    if (src.text.startsWith('\uFEFF') && !out.startsWith('\uFEFF')) out = '\uFEFF' + out;
    return out;
  } catch {
    return undefined; // the caller refuses the edit with a message of its own
  }
}

function reloadsTo(text: string, file: string, intended: Manifest): boolean {
  try {
    return isDeepStrictEqual(loadManifest(text, file, { singleProduction: false }).manifest, intended);
  } catch (err) {
    if (err instanceof InputError || err instanceof InputErrors) return false;
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Checks on the arguments

function versionIndex(m: Manifest, file: string, version: number): number {
  const i = m.versions.findIndex((v) => v.version === version);
  if (i === -1) {
    const known = m.versions.map((v) => v.version).join(', ');
    throw new InputError(`${m.name} has no version ${version}`, { location: { file }, hint: known ? `versions: ${known}` : 'register a version first' });
  }
  return i;
}

function assertAliasName(alias: string, file: string): void {
  if (!ALIAS_NAME_PATTERN.test(alias)) {
    throw new InputError(`'${alias}' is not a valid alias name`, { location: { file }, hint: 'alias names use letters, digits, _ and - (at most 64), e.g. champion' });
  }
}

function checkedEntry(entry: ModelVersion, file: string): ModelVersion {
  const where = { location: { file } };
  if (!Number.isInteger(entry.version) || entry.version < 1) {
    throw new InputError(`version ${String(entry.version)} is not a positive integer`, where);
  }
  if (!STAGES.includes(entry.stage)) throw new InputError(`'${String(entry.stage)}' is not a stage`, { ...where, hint: `use one of ${STAGES.join(', ')}` });
  for (const d of [entry.digest, entry.evidence]) {
    if (d !== undefined && !DIGEST_PATTERN.test(d)) {
      throw new InputError(`'${d}' is not a sha256 digest`, { ...where, hint: 'a digest is sha256: followed by 64 lowercase hex digits' });
    }
  }
  try {
    return versionOf(entry);
  } catch (err) {
    if (err instanceof InputError) throw new InputError(err.message, { ...where, hint: err.hint });
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Splices

const CANONICAL_KEYS = ['version', 'run', 'artifact', 'digest', 'evidence', 'stage'] as const;
type VersionKey = (typeof CANONICAL_KEYS)[number];

function versionItem(src: Source, version: number): YAMLMap {
  const seq = src.root.get('versions', true);
  if (!isSeq(seq)) throw new CannotSplice();
  const item = seq.items.find((it) => isMap(it) && it.get('version') === version);
  if (!isMap(item)) throw new CannotSplice();
  return item;
}

function spliceAlias(src: Source, alias: string, version: number): string {
  const { text } = src;
  const pair = pairOf(src.root, 'aliases');
  const line = `${formatScalar(alias)}: ${version}`;
  if (!pair) {
    // No aliases yet: a new block at the end of the document, in the file's indentation.
    const col = keyColumn(src, src.root.items[0]);
    const at = afterLine(text, src.root.range?.[1] ?? text.length);
    return insertLines(text, src.eol, at, [`${' '.repeat(col)}aliases:`, `${' '.repeat(col + indentUnit(src))}${line}`]);
  }
  const map = pair.value;
  if (!isMap(map)) throw new CannotSplice();
  const existing = pairOf(map, alias);
  if (existing) return replaceScalar(text, existing.value, version);
  if (map.flow) {
    if (map.items.length === 0) return blockFromEmptyFlow(src, pair, [line]);
    throw new CannotSplice();
  }
  const col = keyColumn(src, map.items[0]);
  return insertLines(text, src.eol, afterLine(text, pairEnd(map.items[map.items.length - 1])), [`${' '.repeat(col)}${line}`]);
}

function spliceRemoveAlias(src: Source, alias: string): string {
  const { text } = src;
  const pair = pairOf(src.root, 'aliases');
  const map = pair?.value;
  if (!pair || !isMap(map) || map.flow) throw new CannotSplice();
  const entry = pairOf(map, alias);
  if (!entry) throw new CannotSplice();
  const keyStart = nodeStart(entry.key);
  if (!startsLine(text, keyStart)) throw new CannotSplice();
  const end = afterLine(text, pairEnd(entry));
  if (map.items.length === 1) {
    // The last alias: keep the key and say plainly that there are none (`aliases: {}`).
    const colon = colonAfter(text, nodeEnd(pair.key));
    return text.slice(0, colon + 1) + ' {}' + src.eol + text.slice(end);
  }
  return text.slice(0, lineStart(text, keyStart)) + text.slice(end);
}

function spliceDigestField(src: Source, version: number, key: 'digest' | 'evidence', value: string): string {
  const { text } = src;
  const item = versionItem(src, version);
  const existing = pairOf(item, key);
  if (existing) return replaceScalar(text, existing.value, value);
  if (item.flow) throw new CannotSplice();
  // Right after the nearest earlier key, at the same indentation.
  const after = WRITTEN_AFTER[key].map((k) => pairOf(item, k)).find((p) => p !== undefined);
  if (!after) throw new CannotSplice();
  const keyStart = nodeStart(after.key);
  if (!startsLine(text, keyStart)) throw new CannotSplice();
  return insertLines(text, src.eol, afterLine(text, pairEnd(after)), [`${' '.repeat(column(text, keyStart))}${key}: ${formatScalar(value)}`]);
}

function spliceVersion(src: Source, entry: ModelVersion): string {
  const { text } = src;
  const pair = pairOf(src.root, 'versions');
  const seq = pair?.value;
  if (!pair || !isSeq(seq)) throw new CannotSplice();
  if (seq.flow) {
    if (seq.items.length > 0) throw new CannotSplice();
    // `versions: []` becomes a block sequence, indented one unit under its key.
    const dashCol = keyColumn(src, pair) + indentUnit(src);
    return blockFromEmptyFlow(src, pair, itemLines(entry, CANONICAL_KEYS, {}, 0, 2), dashCol);
  }
  const last = seq.items[seq.items.length - 1];
  if (!isMap(last) || last.flow || !last.range) throw new CannotSplice();
  const dash = /^( *)-( +)$/.exec(text.slice(lineStart(text, last.range[0]), last.range[0]));
  if (!dash) throw new CannotSplice();
  const dashCol = dash[1]!.length;
  const keyCol = dashCol + 1 + dash[2]!.length;
  const lines = itemLines(entry, keyOrder(last), quoteTypes(last), dashCol, keyCol);
  // After the last item, and after comment lines indented under it (they belong to it).
  let at = afterLine(text, last.range[1]);
  while (at < text.length) {
    const next = afterLine(text, at + 1);
    const comment = /^( *)#/.exec(text.slice(at, next));
    if (!comment || comment[1]!.length <= dashCol) break;
    at = next;
  }
  return insertLines(text, src.eol, at, lines);
}

/** `key: {}` / `key: []` (possibly with a comment after) turned into `key:` plus a block below. */
function blockFromEmptyFlow(src: Source, pair: Pair, lines: string[], indent?: number): string {
  const node = pair.value as YAMLMap;
  if (!node.range) throw new CannotSplice();
  const col = indent ?? keyColumn(src, pair) + indentUnit(src);
  let start = node.range[0];
  while (start > 0 && (src.text[start - 1] === ' ' || src.text[start - 1] === '\t')) start--;
  const without = src.text.slice(0, start) + src.text.slice(node.range[1]);
  return insertLines(without, src.eol, afterLine(without, start), lines.map((l) => ' '.repeat(col) + l));
}

/** Lines of a new sequence item: `- first: …` then the other keys aligned under it. */
function itemLines(entry: ModelVersion, order: readonly VersionKey[], quotes: Partial<Record<VersionKey, string>>, dashCol: number, keyCol: number): string[] {
  const keys = order.filter((k) => entry[k] !== undefined);
  return keys.map((k, i) => {
    const prefix = i === 0 ? ' '.repeat(dashCol) + '-' + ' '.repeat(Math.max(1, keyCol - dashCol - 1)) : ' '.repeat(keyCol);
    return `${prefix}${k}: ${formatScalar(entry[k]!, quotes[k])}`;
  });
}

/** The existing item's key order, with keys it lacks placed after their canonical predecessor. */
function keyOrder(item: YAMLMap): VersionKey[] {
  const order = item.items.map((p) => keyText(p)).filter((k): k is VersionKey => (CANONICAL_KEYS as readonly string[]).includes(k));
  CANONICAL_KEYS.forEach((k, ci) => {
    if (order.includes(k)) return;
    let pos = 0;
    for (let j = ci - 1; j >= 0; j--) {
      const p = order.indexOf(CANONICAL_KEYS[j]!);
      if (p !== -1) {
        pos = p + 1;
        break;
      }
    }
    order.splice(pos, 0, k);
  });
  return order;
}

/** How the existing item quotes its string values (so a new item looks like its neighbours). */
function quoteTypes(item: YAMLMap): Partial<Record<VersionKey, string>> {
  const out: Partial<Record<VersionKey, string>> = {};
  for (const p of item.items) {
    if (isScalar(p.value) && typeof p.value.value === 'string' && p.value.type) out[keyText(p) as VersionKey] = p.value.type;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Text and node helpers

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => keyText(p) === key);
}

function indexOfKey(map: YAMLMap, key: string): number {
  return map.items.findIndex((p) => keyText(p) === key);
}

function keyText(p: Pair): string {
  return isScalar(p.key) ? String(p.key.value) : String(p.key);
}

function nodeStart(node: unknown): number {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  if (!r) throw new CannotSplice();
  return r[0];
}

function nodeEnd(node: unknown): number {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  if (!r) throw new CannotSplice();
  return r[1];
}

/** Where a pair's value (or, for `key:` with no value, its key) ends. */
function pairEnd(p: Pair | undefined): number {
  if (!p) throw new CannotSplice();
  return p.value ? nodeEnd(p.value) : nodeEnd(p.key);
}

function keyColumn(src: Source, p: Pair | undefined): number {
  return column(src.text, nodeStart(p?.key));
}

/** Spaces per nesting level: from the aliases block or the versions items; 2 when unknown. */
function indentUnit(src: Source): number {
  const { text } = src;
  const aliases = pairOf(src.root, 'aliases');
  if (aliases && isMap(aliases.value) && !aliases.value.flow && aliases.value.items.length) {
    const unit = keyColumn(src, aliases.value.items[0]) - keyColumn(src, aliases);
    if (unit > 0) return unit;
  }
  const versions = pairOf(src.root, 'versions');
  const first = isSeq(versions?.value) && !versions.value.flow ? versions.value.items[0] : undefined;
  if (versions && isMap(first) && first.range) {
    const dash = /^( *)-( +)$/.exec(text.slice(lineStart(text, first.range[0]), first.range[0]));
    if (dash) {
      const unit = dash[1]!.length - keyColumn(src, versions);
      return unit > 0 ? unit : 1 + dash[2]!.length;
    }
  }
  return 2;
}

function replaceScalar(text: string, node: unknown, value: string | number): string {
  if (!isScalar(node) || node.anchor || node.tag || !node.range) throw new CannotSplice();
  const [start, end] = node.range;
  return text.slice(0, start) + formatScalar(value, node.type) + text.slice(end);
}

/** A scalar in the given quoting style (the one already used there), plain when none. */
function formatScalar(value: string | number, type?: string): string {
  if (typeof value === 'number') return String(value);
  if (type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (type === 'QUOTE_SINGLE' && !/[\r\n]/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  if (type !== undefined && type !== 'PLAIN' && type !== 'QUOTE_SINGLE') throw new CannotSplice(); // block scalars
  // yaml quotes it only when a plain scalar would read back as something else.
  const plain = stringify(value, { version: '1.2', lineWidth: 0 }).replace(/\n$/, '');
  return plain.includes('\n') ? JSON.stringify(value) : plain;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just after the line holding `offset - 1`'s end (i.e. past its newline). */
function afterLine(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

function column(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** Only indentation (and a sequence dash) precede the offset on its line. */
function startsLine(text: string, offset: number): boolean {
  return /^ *(?:- +)?$/.test(text.slice(lineStart(text, offset), offset));
}

function colonAfter(text: string, offset: number): number {
  let i = offset;
  while (text[i] === ' ' || text[i] === '\t') i++;
  if (text[i] !== ':') throw new CannotSplice();
  return i;
}

function insertLines(text: string, eol: string, at: number, lines: string[]): string {
  const needsBreak = at === text.length && text.length > 0 && !text.endsWith('\n');
  return text.slice(0, at) + (needsBreak ? eol : '') + lines.map((l) => l + eol).join('') + text.slice(at);
}
