/**
 * The hash chain of an audit log (SPEC section 7): `hash` = `sha256:` + sha256 of the record's
 * canonical JSON without `hash`; `prev` = the previous record's `hash`; `seq` runs 1, 2, 3…
 * Sealing builds a record; verifying streams a log once, in bounded memory, and names what is
 * wrong (edited, deleted, duplicated, reordered, truncated records).
 */
import { GENESIS_PREV, type AuditRecord } from './types';
import { canonicalJson, sha256Hex } from './canonical';
import { UnreadableLineError, recordShapeError } from './log';

export function hashRecord(withoutHash: Omit<AuditRecord, 'hash'>): string {
  const { hash: _ignored, ...body } = withoutHash as Omit<AuditRecord, 'hash'> & { hash?: unknown };
  return 'sha256:' + sha256Hex(canonicalJson(body));
}

/**
 * Seals the next record after `prev` (or the first one). Undefined members are dropped first,
 * so the returned record is exactly what is hashed and written.
 */
export function sealRecord(fields: Omit<AuditRecord, 'seq' | 'prev' | 'hash'>, prev?: { seq: number; hash: string }): AuditRecord {
  // A stray `hash` (fields copied from another record) must not end up inside the hashed body.
  const { hash: _stale, ...rest } = fields as typeof fields & { hash?: unknown };
  const text = canonicalJson({ ...rest, seq: prev ? prev.seq + 1 : 1, prev: prev ? prev.hash : GENESIS_PREV });
  const body = JSON.parse(text) as Omit<AuditRecord, 'hash'>;
  return { ...body, hash: 'sha256:' + sha256Hex(text) };
}

export interface ChainProblem {
  seq?: number;
  line?: number;
  message: string;
}

/** Past this many problems the log is plainly broken; keep memory bounded and say how many more. */
const MAX_PROBLEMS = 1000;
/** Gaps waiting to be explained (a late record means reordered, none means deleted). */
const MAX_OPEN_GAPS = 1000;

interface Gap {
  lo: number;
  hi: number;
  /** Line and seq of the record after which the gap opened. */
  line: number;
  afterSeq: number;
  atSeq: number;
}

/**
 * Verifies one model's log as it streams by. `onRecord` sees every line that is a well-formed
 * record (even one whose hash is wrong), in file order, so replay runs in the same pass.
 */
export async function verifyChainStream(
  lines: AsyncIterable<string>,
  model: string,
  file: string,
  onRecord: (r: AuditRecord) => void,
): Promise<{ count: number; problems: ChainProblem[] }> {
  const v = new ChainVerifier(model);
  try {
    for await (const line of lines) v.line(line, onRecord);
  } catch (err) {
    if (!(err instanceof UnreadableLineError)) throw err;
    v.problem({ line: err.line, message: `line ${err.line} of ${file} ${err.problem}; reading stopped there` });
  }
  return v.finish();
}

class ChainVerifier {
  private lineNo = 0;
  private count = 0;
  private maxSeq = 0;
  private maxHash: string | undefined;
  private lastSeq = 0;
  /** Lines since the last record that could not be read: they account for that many seqs. */
  private unreadable = 0;
  private blankLines: number[] = [];
  private gaps: Gap[] = [];
  private problems: ChainProblem[] = [];
  private dropped = 0;

  constructor(private readonly model: string) {}

  line(text: string, onRecord: (r: AuditRecord) => void): void {
    const n = ++this.lineNo;
    if (text.trim() === '') {
      this.blankLines.push(n); // fine at the end of the file, a problem before a record
      return;
    }
    for (const b of this.blankLines) this.problem({ line: b, message: `line ${b} is blank (audit logs have one record per line)` });
    this.blankLines = [];

    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.problem({ line: n, message: `line ${n}: not valid JSON${looksTruncated(text) ? ' (truncated?)' : ''}` });
      this.unreadable++;
      return;
    }
    const shape = recordShapeError(value);
    if (shape) {
      const seq = (value as { seq?: unknown } | null)?.seq;
      this.problem({ line: n, ...(typeof seq === 'number' ? { seq } : {}), message: `line ${n}: not an audit record: ${shape}` });
      this.unreadable++;
      return;
    }
    const r = value as AuditRecord;
    this.count++;
    this.checkContent(r, text, n);
    this.checkOrder(r, n);
    onRecord(r);
  }

  private checkContent(r: AuditRecord, text: string, n: number): void {
    if (r.model !== this.model) {
      this.problem({ seq: r.seq, line: n, message: `record ${r.seq} is for model '${r.model}', not '${this.model}' (copied from another log?)` });
    }
    if (sealedAsWritten(text, r)) return;
    // Slow path, for lines that are not byte for byte what was sealed: tell an edit from a
    // reformatting by hashing the canonical form of what the line now says.
    let body: string;
    let canonical: boolean;
    try {
      const { hash: _hash, ...rest } = r;
      body = canonicalJson(rest);
      canonical = canonicalJson(r) === text;
    } catch (err) {
      this.problem({ seq: r.seq, line: n, message: `record ${r.seq} cannot be hashed: ${(err as Error).message}` });
      return;
    }
    if ('sha256:' + sha256Hex(body) !== r.hash) {
      this.problem({ seq: r.seq, line: n, message: `record ${r.seq} was edited: its hash does not match its content` });
    } else if (!canonical) {
      // Same content, different bytes: reformatted, or duplicate keys that other parsers may read differently.
      this.problem({ seq: r.seq, line: n, message: `record ${r.seq} is not in canonical form (edited outside modelgate?)` });
    }
  }

  private checkOrder(r: AuditRecord, n: number): void {
    const s = r.seq;
    if (s === this.maxSeq + 1) {
      const expected = s === 1 ? GENESIS_PREV : this.maxHash;
      if (r.prev !== expected) {
        this.problem({
          seq: s,
          line: n,
          message: s === 1 ? `record 1 does not start the chain: its prev is not the genesis value` : `record ${s} does not follow record ${s - 1}: its prev is not record ${s - 1}'s hash`,
        });
      }
    } else if (s > this.maxSeq + 1 && s - this.maxSeq - 1 <= this.unreadable) {
      // The skipped seqs are the unreadable lines just reported: no deletion to name.
    } else if (s > this.maxSeq + 1) {
      this.openGap({ lo: this.maxSeq + 1, hi: s - 1, line: n, afterSeq: this.lastSeq, atSeq: s });
    } else if (this.closeGap(s)) {
      this.problem({ seq: s, line: n, message: `record seq ${s} follows seq ${this.lastSeq}: records are out of order (swapped or moved?)` });
    } else {
      this.problem({ seq: s, line: n, message: `seq ${s} appears twice (duplicated?)` });
    }
    if (s > this.maxSeq) {
      this.maxSeq = s;
      this.maxHash = r.hash;
    }
    this.lastSeq = s;
    this.unreadable = 0;
  }

  private openGap(g: Gap): void {
    this.gaps.push(g);
    if (this.gaps.length > MAX_OPEN_GAPS) this.reportGap(this.gaps.shift()!);
  }

  /** True when `seq` was inside a gap (it arrived late), which it then leaves. */
  private closeGap(seq: number): boolean {
    const i = this.gaps.findIndex((g) => g.lo <= seq && seq <= g.hi);
    if (i === -1) return false;
    const g = this.gaps[i]!;
    const parts: Gap[] = [];
    if (g.lo < seq) parts.push({ ...g, hi: seq - 1 });
    if (seq < g.hi) parts.push({ ...g, lo: seq + 1 });
    this.gaps.splice(i, 1, ...parts);
    return true;
  }

  private reportGap(g: Gap): void {
    const what = g.lo === g.hi ? `record ${g.lo} is missing` : `records ${g.lo}-${g.hi} are missing`;
    const message = g.afterSeq === 0 ? `the log starts at seq ${g.atSeq}: ${what} (deleted?)` : `record seq ${g.atSeq} follows seq ${g.afterSeq}: ${what} (deleted?)`;
    this.problem({ seq: g.lo, line: g.line, message });
  }

  problem(p: ChainProblem): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(p);
    else this.dropped++;
  }

  finish(): { count: number; problems: ChainProblem[] } {
    for (const g of this.gaps) this.reportGap(g);
    this.gaps = [];
    // Gaps are reported when the log ends; list every problem in file order.
    const problems = this.problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    if (this.dropped > 0) problems.push({ message: `… and ${this.dropped} more problems` });
    return { count: this.count, problems };
  }
}

/**
 * The fast path, taken by every line modelgate wrote: a record's hash was computed over its
 * canonical JSON without `hash`, and modelgate writes exactly that text with the `hash` member
 * in its sorted place. So when the line's own bytes, minus that member, hash to the recorded
 * value, the line IS the sealed canonical text (short of a sha256 collision): unedited and
 * canonical, with no need to re-serialize it. The first occurrence of the member is the
 * top-level one: inside a string its quotes would be escaped, and a nested copy of the record's
 * own hash would need a sha256 preimage of itself. The member must also sit between its sorted
 * neighbours, or the line would be the sealed content in a non-canonical key order.
 */
function sealedAsWritten(line: string, r: AuditRecord): boolean {
  const member = ',"hash":' + JSON.stringify(r.hash);
  const at = line.indexOf(member);
  if (at === -1) return false;
  if ('sha256:' + sha256Hex(line.slice(0, at) + line.slice(at + member.length)) !== r.hash) return false;
  const keys = Object.keys(r);
  const i = keys.indexOf('hash');
  return i > 0 && keys[i - 1]! < 'hash' && (i === keys.length - 1 || keys[i + 1]! > 'hash');
}

function looksTruncated(text: string): boolean {
  return text.startsWith('{') && !text.trimEnd().endsWith('}');
}
