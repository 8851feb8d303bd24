/**
 * The audit log file, `audit/<model>.jsonl`: one record per line, each line the record's own
 * canonical JSON (so verifying a line needs one parse and one canonicalization, and a line
 * that is not canonical was not written by modelgate). Reading is streaming with bounded
 * memory; appending is atomic (all records of one change land, or none).
 */
import { promises as fs } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import type { AuditRecord } from './types';
import { STAGES } from '../manifest/types';
import { canonicalJson } from './canonical';
import { appendFileAtomic, type Written } from '../storage/atomic';
import { InputError } from '../errors';

/** A record line is a few KiB; anything this long is not one, and is not held in memory. */
export const MAX_LINE_BYTES = 1024 * 1024;

const NEWLINE = 0x0a;

/** A line that cannot be read at all (too long, not UTF-8): reading stops there. */
export class UnreadableLineError extends InputError {
  constructor(
    readonly file: string,
    readonly line: number,
    /** What is wrong, e.g. `is not valid UTF-8`. */
    readonly problem: string,
  ) {
    super(`line ${line} ${problem}`, {
      location: { file, line },
      hint: 'the file was not written by modelgate; restore it from git history',
    });
  }
}

/** A line longer than MAX_LINE_BYTES, found without holding it. */
export class LineTooLongError extends UnreadableLineError {
  constructor(file: string, line: number) {
    super(file, line, 'is longer than 1 MiB: not an audit record');
  }
}

/**
 * Splits a byte stream into UTF-8 lines on `\n`, dropping one trailing `\r` (CRLF checkouts)
 * and the empty remainder after a final newline. Splitting bytes before decoding keeps
 * multi-byte characters that straddle chunks intact (0x0A never occurs inside one).
 */
export async function* readLines(stream: AsyncIterable<Uint8Array>, file = '<audit log>'): AsyncIterable<string> {
  let pieces: Buffer[] = [];
  let pending = 0; // bytes in `pieces`
  let lineNo = 0;
  for await (const chunk of stream) {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE, start); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
      lineNo++;
      const part = buf.subarray(start, nl);
      if (pending + part.length > MAX_LINE_BYTES) throw new LineTooLongError(file, lineNo);
      const bytes = pending === 0 ? part : Buffer.concat([...pieces, part], pending + part.length);
      pieces = [];
      pending = 0;
      yield decodeLine(bytes, file, lineNo);
      start = nl + 1;
    }
    if (start < buf.length) {
      const rest = buf.subarray(start);
      if (pending + rest.length > MAX_LINE_BYTES) throw new LineTooLongError(file, lineNo + 1);
      // Copy: the stream may reuse its chunk buffers.
      pieces.push(Buffer.from(rest));
      pending += rest.length;
    }
  }
  if (pending > 0) yield decodeLine(Buffer.concat(pieces, pending), file, lineNo + 1);
}

function decodeLine(bytes: Buffer, file: string, lineNo: number): string {
  let text = bytes.toString('utf8');
  // A replacement character is either really in the text or the trace of invalid bytes.
  if (text.includes('\uFFFD') && !isUtf8(bytes)) throw new UnreadableLineError(file, lineNo, 'is not valid UTF-8');
  if (text.endsWith('\r')) text = text.slice(0, -1);
  return text;
}

/** Why a parsed JSON value is not an audit record, or undefined when it has a record's shape. */
export function recordShapeError(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const r = value as Record<string, unknown>;
  if (!isPositiveInt(r.seq)) return '"seq" must be a positive integer';
  for (const key of ['time', 'actor', 'model'] as const) {
    if (typeof r[key] !== 'string' || r[key] === '') return `"${key}" must be a non-empty string`;
  }
  if (!ACTIONS.has(r.action)) return `"action" must be one of ${[...ACTIONS].join(', ')}`;
  if (!isPositiveInt(r.version)) return '"version" must be a positive integer';
  if (r.from !== null && !STAGE_SET.has(r.from)) return `"from" must be null or one of ${STAGES.join(', ')}`;
  if (!(STAGE_SET.has(r.to) || (typeof r.to === 'string' && r.to.length > 1 && r.to.startsWith('@')))) return `"to" must be a stage or @alias`;
  if (!Array.isArray(r.checks) || !r.checks.every(isCheck)) return '"checks" must be a list of {id, status}';
  if (typeof r.prev !== 'string' || !DIGEST.test(r.prev)) return '"prev" must be sha256:<64 hex>';
  if (typeof r.hash !== 'string' || !DIGEST.test(r.hash)) return '"hash" must be sha256:<64 hex>';
  if (r.removed !== undefined && typeof r.removed !== 'boolean') return '"removed" must be a boolean';
  if (r.displaced !== undefined && !isPositiveInt(r.displaced)) return '"displaced" must be a positive integer';
  if (r.reason !== undefined && typeof r.reason !== 'string') return '"reason" must be a string';
  return sourceShapeError(r.source);
}

/** `source.commit` is later handed to git: it must be a plain hex object name, never an option. */
function sourceShapeError(source: unknown): string | undefined {
  if (source === undefined) return undefined;
  if (typeof source !== 'object' || source === null || Array.isArray(source)) return '"source" must be an object';
  const s = source as Record<string, unknown>;
  if (s.commit !== undefined && (typeof s.commit !== 'string' || !/^[0-9a-f]{4,64}$/.test(s.commit))) {
    return '"source.commit" must be a hex commit id';
  }
  if (s.pr !== undefined && !isPositiveInt(s.pr)) return '"source.pr" must be a positive integer';
  return undefined;
}

const ACTIONS = new Set<unknown>(['register', 'promote', 'archive', 'rollback', 'alias']);
const STAGE_SET = new Set<unknown>(STAGES);
const DIGEST = /^sha256:[0-9a-f]{64}$/;

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
}

function isCheck(c: unknown): boolean {
  return typeof c === 'object' && c !== null && typeof (c as { id?: unknown }).id === 'string' && typeof (c as { status?: unknown }).status === 'string';
}

/** One line of a log as a record; an InputError located at the line when it is not one. */
export function parseRecordLine(line: string, file: string, lineNo: number): AuditRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    const pos = /position (\d+)/.exec((err as Error).message);
    throw new InputError(`line ${lineNo} is not valid JSON: ${(err as Error).message}`, {
      location: { file, line: lineNo, ...(pos ? { column: Number(pos[1]) + 1 } : {}) },
      hint: 'audit logs are written by modelgate only; restore the file from git history',
      cause: err,
    });
  }
  const problem = recordShapeError(value);
  if (problem) {
    throw new InputError(`line ${lineNo} is not an audit record: ${problem}`, {
      location: { file, line: lineNo },
      hint: 'audit logs are written by modelgate only; restore the file from git history',
    });
  }
  return value as AuditRecord;
}

/** The line a record is stored as (without its newline): its canonical JSON. */
export function serializeRecord(r: AuditRecord): string {
  return canonicalJson(r);
}

/**
 * Appends the records of one change in a single atomic write. The records must continue each
 * other (each `prev` is the previous `hash`); the caller sealed the first onto the log's last.
 * The append can be taken back (when a later step of the same change fails).
 */
export async function appendRecords(absPath: string, records: AuditRecord[]): Promise<Written> {
  if (records.length === 0) return { undo: async () => undefined, keep: async () => undefined };
  records.forEach((r, i) => {
    const before = records[i - 1];
    if (before && (r.prev !== before.hash || r.seq !== before.seq + 1)) {
      throw new Error(`appendRecords: record seq ${r.seq} does not continue seq ${before.seq}`);
    }
  });
  const text = records.map((r) => serializeRecord(r) + '\n').join('');
  // A log whose last line lacks its newline (edited elsewhere) must not get a record glued to it.
  const separator = (await endsWithoutNewline(absPath)) ? '\n' : '';
  return appendFileAtomic(absPath, separator + text);
}

async function endsWithoutNewline(path: string): Promise<boolean> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(path, 'r');
  } catch {
    return false; // missing (created by the append) or unreadable (the append reports it)
  }
  try {
    const { size } = await fh.stat();
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    await fh.read(last, 0, 1, size - 1);
    return last[0] !== NEWLINE;
  } finally {
    await fh.close();
  }
}
