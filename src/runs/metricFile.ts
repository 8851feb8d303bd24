/**
 * MLflow metric files (`metrics/<key>`): one point per line, `<timestamp_ms> <value> <step>`
 * (2 fields in very old files, step 0; 5 in 3.x dataset-linked lines, step still field 3).
 *
 * Files can hold millions of points, so they are parsed as a byte stream: no whole-file string,
 * no split, no regex per line, and no string per line unless a value needs the slow number
 * path. Memory is bounded by one chunk plus one partial line (at most MAX_METRIC_LINE_BYTES).
 */
import { InputError } from '../errors';
import { printable } from '../storage/paths';
import type { MetricPoint } from './types';

/** Longer lines are refused: real ones are under 1 KiB, and a newline-free file must not be buffered whole. */
export const MAX_METRIC_LINE_BYTES = 64 * 1024;

const NL = 10;
const CR = 13;
const SPACE = 32;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const LOWER_E = 101;
const TWO_53 = 9007199254740992;
const NOT_A_NUMBER = 'has a value that is not a number';
/** Powers of ten that are exact doubles (10^0 … 10^22), for the exact fast path. */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/**
 * True when point `a` comes after `b` in MLflow's latest-value order: greatest step, then
 * timestamp, then value. NaN counts as the greatest value and -0 as below +0, so the order is
 * total and the latest point does not depend on line order (and a tie with NaN fails closed).
 */
export function isLater(aStep: number, aTs: number, aValue: number, bStep: number, bTs: number, bValue: number): boolean {
  if (aStep !== bStep) return aStep > bStep;
  if (aTs !== bTs) return aTs > bTs;
  return valueAbove(aValue, bValue);
}

function valueAbove(a: number, b: number): boolean {
  if (a !== a) return b === b; // NaN is above every number
  if (b !== b) return false;
  if (a !== b) return a > b;
  return a === 0 && Object.is(b, -0) && !Object.is(a, -0);
}

/**
 * A metric value as Python's `float()` reads what MLflow wrote: decimal numbers, and `nan`,
 * `inf`, `infinity` with an optional sign in any case. undefined when it is not one
 * (`Number()` alone would accept `0x10`, `''` and `Infinity` only in one spelling).
 */
export function parseMetricValue(text: string): number | undefined {
  if (!/^[\x21-\x7e]+$/.test(text)) return undefined; // one printable ASCII field
  let value: number | undefined;
  const parser = new MetricLineParser('', (line) => {
    value = line.value();
  });
  try {
    parser.feed(Buffer.from(`0 ${text}`, 'latin1'));
    parser.end();
  } catch {
    return undefined;
  }
  return value;
}

/** Case-insensitive match of ASCII letters `word` at `[s, e)`. */
function isWord(b: Buffer, s: number, e: number, word: string): boolean {
  if (e - s !== word.length) return false;
  for (let i = 0; i < word.length; i++) {
    if ((b[s + i]! | 0x20) !== word.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * One parsed line, as the parser's sink sees it. `value()` may convert text on demand: values
 * that miss the exact fast path are only turned into numbers when someone needs them, which
 * for the latest value is the current best line, not every line.
 */
export interface MetricLine {
  readonly timestamp: number;
  readonly step: number;
  value(): number;
}

/**
 * Incremental line parser: feed it chunks in order, then call `end()`. Throws an InputError
 * naming the file and the 1-based line number at the first malformed line.
 */
export class MetricLineParser implements MetricLine {
  timestamp = 0;
  step = 0;
  /** The value when `exact`; otherwise it is `buf[vs, ve)`, valid until the next feed(). */
  fastValue = 0;
  exact = true;
  buf: Buffer = Buffer.alloc(0);
  vs = 0;
  ve = 0;
  private carry: Buffer | undefined;
  private line = 0;
  constructor(
    private readonly file: string,
    private readonly sink: (line: MetricLine) => void,
  ) {}

  value(): number {
    return this.exact ? this.fastValue : Number(this.buf.toString('latin1', this.vs, this.ve));
  }

  feed(chunk: Uint8Array): void {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    if (this.carry) {
      const nl = b.indexOf(NL);
      if (nl === -1) {
        this.carry = Buffer.concat([this.carry, b]);
        this.checkCarry();
        return;
      }
      const joined = Buffer.concat([this.carry, b.subarray(0, nl)]);
      this.carry = undefined;
      this.parseLine(joined, 0, joined.length);
      pos = nl + 1;
    }
    let nl = b.indexOf(NL, pos);
    while (nl !== -1) {
      this.parseLine(b, pos, nl);
      pos = nl + 1;
      nl = b.indexOf(NL, pos);
    }
    if (pos < b.length) {
      // Copied: the source may reuse its chunk buffer.
      this.carry = Buffer.from(b.subarray(pos));
      this.checkCarry();
    }
  }

  end(): void {
    if (this.carry) {
      const last = this.carry;
      this.carry = undefined;
      this.parseLine(last, 0, last.length);
    }
  }

  private checkCarry(): void {
    if (this.carry && this.carry.length > MAX_METRIC_LINE_BYTES) {
      throw new InputError(`line ${this.line + 1} is longer than ${MAX_METRIC_LINE_BYTES / 1024} KiB`, {
        location: { file: this.file, line: this.line + 1 },
        hint: 'this is not an MLflow metric file (one short `<timestamp> <value> <step>` line per point)',
      });
    }
  }

  /** One pass over the line's bytes: `ts value [step [dataset_name dataset_digest]]`. */
  private parseLine(b: Buffer, s: number, e: number): void {
    this.line++;
    // A byte-order mark (the file was saved by a Windows editor) is not part of the timestamp.
    if (this.line === 1 && e - s >= 3 && b[s] === 0xef && b[s + 1] === 0xbb && b[s + 2] === 0xbf) s += 3;
    if (e > s && b[e - 1] === CR) e--; // written on Windows
    if (e === s) return; // blank lines carry no point
    let i = s;
    // timestamp
    let neg = false;
    let c = b[i]!;
    if (c === MINUS || c === PLUS) {
      neg = c === MINUS;
      i++;
    }
    let n = 0;
    const ts0 = i;
    for (; i < e; i++) {
      const d = b[i]! - ZERO;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
    }
    if (i === ts0 || i === e || b[i] !== SPACE) return this.fail(b, s, e, 'has a timestamp that is not an integer');
    this.timestamp = i - ts0 > 15 ? Number(b.toString('latin1', s, i)) : neg ? -n : n;
    // value
    i++;
    const vs = i;
    neg = false;
    c = b[i]!;
    if (c === MINUS || c === PLUS) {
      neg = c === MINUS;
      i++;
    }
    c = b[i]! | 0x20;
    if (c === 0x6e /* n */ || c === 0x69 /* i */) {
      const w = i;
      while (i < e && b[i] !== SPACE) i++;
      if (isWord(b, w, i, 'nan')) this.fastValue = NaN;
      else if (isWord(b, w, i, 'inf') || isWord(b, w, i, 'infinity')) this.fastValue = neg ? -Infinity : Infinity;
      else return this.fail(b, s, e, NOT_A_NUMBER);
      this.exact = true;
    } else {
      let mantissa = 0;
      let digits = 0;
      let fraction = 0;
      for (; i < e; i++) {
        const d = b[i]! - ZERO;
        if (d < 0 || d > 9) break;
        mantissa = mantissa * 10 + d;
        digits++;
      }
      if (i < e && b[i] === DOT) {
        for (i++; i < e; i++) {
          const d = b[i]! - ZERO;
          if (d < 0 || d > 9) break;
          mantissa = mantissa * 10 + d;
          digits++;
          fraction++;
        }
      }
      if (digits === 0) return this.fail(b, s, e, NOT_A_NUMBER);
      let exponent = 0;
      if (i < e && (b[i]! | 0x20) === LOWER_E) {
        i++;
        let expNeg = false;
        if (b[i] === MINUS || b[i] === PLUS) {
          expNeg = b[i] === MINUS;
          i++;
        }
        const x0 = i;
        for (; i < e; i++) {
          const d = b[i]! - ZERO;
          if (d < 0 || d > 9) break;
          if (exponent < 100000) exponent = exponent * 10 + d;
        }
        if (i === x0) return this.fail(b, s, e, NOT_A_NUMBER);
        if (expNeg) exponent = -exponent;
      }
      const k = exponent - fraction;
      if (mantissa < TWO_53 && k >= -22 && k <= 22) {
        const v = k < 0 ? mantissa / POW10[-k]! : mantissa * POW10[k]!;
        this.fastValue = neg ? -v : v;
        this.exact = true;
      } else {
        this.exact = false;
        this.buf = b;
        this.vs = vs;
      }
    }
    this.ve = i;
    if (i === e) {
      this.step = 0; // 2-field line (very old MLflow)
      return this.sink(this);
    }
    if (b[i] !== SPACE) return this.fail(b, s, e, NOT_A_NUMBER);
    // step
    const stepStart = ++i;
    neg = false;
    c = b[i]!;
    if (c === MINUS || c === PLUS) {
      neg = c === MINUS;
      i++;
    }
    n = 0;
    const st0 = i;
    for (; i < e; i++) {
      const d = b[i]! - ZERO;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
    }
    if (i === st0 || (i < e && b[i] !== SPACE)) return this.fail(b, s, e, 'has a step that is not an integer');
    this.step = i - st0 > 15 ? Number(b.toString('latin1', stepStart, i)) : neg ? -n : n;
    if (i < e) {
      // dataset name and digest (3.x): two more non-empty fields, then the end
      const f4 = ++i;
      while (i < e && b[i] !== SPACE) i++;
      if (i === f4 || i === e) return this.fail(b, s, e, 'has 4 fields, expected 2, 3 or 5');
      const f5 = ++i;
      while (i < e && b[i] !== SPACE) i++;
      if (i === f5 || i !== e) return this.fail(b, s, e, 'has more than 5 fields');
    }
    this.sink(this);
  }

  /** Rare path: the field structure first (empty or extra fields), else what `why` says. */
  private fail(b: Buffer, s: number, e: number, why: string): never {
    const text = b.toString('utf8', s, e);
    const fields = text.split(' ');
    if (fields.includes('')) why = 'has an empty field (fields are separated by single spaces)';
    else if (![2, 3, 5].includes(fields.length)) why = `has ${fields.length} field${fields.length === 1 ? '' : 's'}, expected 2, 3 or 5`;
    const shown = text.length > 120 ? text.slice(0, 120) + '…' : text;
    throw new InputError(`line ${this.line} ${why}: '${printable(shown)}'`, {
      location: { file: this.file, line: this.line },
      hint: 'MLflow metric lines are `<timestamp_ms> <value> <step>` separated by single spaces; fix or remove this line',
    });
  }
}

/**
 * The latest point of a metric file (greatest step, then timestamp, then value), read as a
 * stream; undefined for a file without points.
 */
export async function latestMetricPoint(chunks: AsyncIterable<Uint8Array>, file: string): Promise<MetricPoint | undefined> {
  let found = false;
  let step = 0;
  let timestamp = 0;
  let value = 0;
  // The best line's value when it missed the fast path: converted once per chunk, not per line.
  let pending: { buf: Buffer; s: number; e: number } | undefined;
  const settle = (): void => {
    if (pending) value = Number(pending.buf.toString('latin1', pending.s, pending.e));
    pending = undefined;
  };
  const parser = new MetricLineParser(file, (line) => {
    const p = line as MetricLineParser;
    if (found && p.step === step && p.timestamp === timestamp) {
      settle();
      if (!valueAbove(p.value(), value)) return;
    } else if (found && (p.step < step || (p.step === step && p.timestamp < timestamp))) {
      return;
    }
    found = true;
    step = p.step;
    timestamp = p.timestamp;
    if (p.exact) {
      value = p.fastValue;
      pending = undefined;
    } else if (pending) {
      pending.buf = p.buf;
      pending.s = p.vs;
      pending.e = p.ve;
    } else {
      pending = { buf: p.buf, s: p.vs, e: p.ve };
    }
  });
  for await (const chunk of chunks) {
    parser.feed(chunk);
    settle(); // before the source may reuse the chunk
  }
  parser.end();
  settle();
  return found ? { step, timestamp, value } : undefined;
}

/** Every point of a metric file in file order, streamed (one chunk's points at a time). */
export async function* metricPoints(chunks: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<MetricPoint> {
  let batch: MetricPoint[] = [];
  const parser = new MetricLineParser(file, (line) => {
    batch.push({ step: line.step, timestamp: line.timestamp, value: line.value() });
  });
  for await (const chunk of chunks) {
    parser.feed(chunk);
    const ready = batch;
    batch = [];
    yield* ready;
  }
  parser.end();
  yield* batch;
}
