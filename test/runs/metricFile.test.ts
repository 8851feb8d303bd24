import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors';
import { MAX_METRIC_LINE_BYTES, latestMetricPoint, metricPoints, parseMetricValue } from '../../src/runs/metricFile';
import type { MetricPoint } from '../../src/runs/types';
import { collect } from './sources';

/** The text fed as chunks cut at the given offsets (exercises lines split across chunks). */
async function* chunked(text: string, cuts: number[] = []): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  let from = 0;
  for (const cut of [...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b)) {
    yield bytes.subarray(from, cut);
    from = cut;
  }
  yield bytes.subarray(from);
}

const latest = (text: string, cuts?: number[]) => latestMetricPoint(chunked(text, cuts), 'metrics/m');

async function failure(p: Promise<unknown>): Promise<InputError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  return err as InputError;
}

// ---- reference implementation (deliberately naive) ----

const SPECIAL: Record<string, number> = { nan: NaN, inf: Infinity, infinity: Infinity };
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function refValue(text: string): number | undefined {
  const m = /^([+-]?)(nan|inf|infinity)$/i.exec(text);
  if (m) {
    const v = SPECIAL[m[2]!.toLowerCase()]!;
    return m[1] === '-' ? -v : v;
  }
  return FLOAT.test(text) ? Number(text) : undefined;
}

function refPoint(line: string): MetricPoint {
  const f = line.split(' ');
  return { timestamp: Number(f[0]), value: refValue(f[1]!)!, step: f.length >= 3 ? Number(f[2]) : 0 };
}

/** (step, timestamp, value) with NaN the greatest value and -0 below +0. */
function rank(v: number): number {
  return Number.isNaN(v) ? 2 : 1;
}
function refCompare(a: MetricPoint, b: MetricPoint): number {
  if (a.step !== b.step) return a.step - b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  if (rank(a.value) !== rank(b.value)) return rank(a.value) - rank(b.value);
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return (Object.is(a.value, -0) ? 0 : 1) - (Object.is(b.value, -0) ? 0 : 1);
}
function refLatest(lines: string[]): MetricPoint | undefined {
  return lines.map(refPoint).reduce<MetricPoint | undefined>((best, p) => (!best || refCompare(p, best) > 0 ? p : best), undefined);
}

// ---- generators ----

const nonFiniteText = fc.constantFrom('nan', 'NaN', 'NAN', '-nan', 'inf', '-inf', '+inf', 'Infinity', '-Infinity', 'INFINITY', 'iNf', '+nan');
const finiteText = fc
  .tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 17 }))
  .map(([v, style, digits]) => {
    if (style === 0) return String(v); // JS shortest round-trip, like Python repr
    if (style === 1) return v.toExponential(Math.min(digits, 16));
    if (style === 2) return v.toPrecision(digits);
    if (style === 3) return String(Math.trunc(v % 1e6)); // an int was logged
    return Math.abs(v) < 1e15 ? v.toFixed(Math.min(digits, 12)) : String(v);
  });
const valueText = fc.oneof({ weight: 4, arbitrary: finiteText }, { weight: 1, arbitrary: nonFiniteText });
const line = fc
  .record({
    ts: fc.integer({ min: 0, max: 4 }).map((t) => 1700000000000 + t), // few distinct values → ties
    step: fc.integer({ min: -2, max: 3 }),
    value: valueText,
    shape: fc.constantFrom(2, 3, 5),
  })
  .map(({ ts, step, value, shape }) => {
    if (shape === 2 && step === 0) return `${ts} ${value}`;
    if (shape === 5) return `${ts} ${value} ${step} train_set 9f2c1a`;
    return `${ts} ${value} ${step}`;
  });

describe('metric values', () => {
  it.each([
    ['0.9', 0.9],
    ['356.6847104398046', 356.6847104398046],
    ['1295.9815492877217', 1295.9815492877217],
    ['1e-05', 1e-5],
    ['1.5e+20', 1.5e20],
    ['5', 5],
    ['-0.0', -0],
    ['.5', 0.5],
    ['5.', 5],
    ['nan', NaN],
    ['NaN', NaN],
    ['inf', Infinity],
    ['-inf', -Infinity],
    ['+Infinity', Infinity],
    ['-INFINITY', -Infinity],
  ])('%s reads as %d', (text, value) => {
    expect(Object.is(parseMetricValue(text), value)).toBe(true);
  });

  it.each(['', '0x10', '1_000', 'Infinit', 'nanx', '1e', '.', '--1', '1 ', 'e5', '١'])('%j is not a value', (text) => {
    expect(parseMetricValue(text)).toBeUndefined();
  });

  it('fast path agrees with Number() on any decimal text', () => {
    fc.assert(
      fc.property(finiteText, (t) => {
        expect(Object.is(parseMetricValue(t), Number(t))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('latest value', () => {
  it('greatest step wins over a later timestamp and a greater value', async () => {
    expect(await latest('1000 0.5 2\n2000 0.9 1\n1500 0.1 2\n')).toEqual({ step: 2, timestamp: 1500, value: 0.1 });
  });

  it('then the greatest timestamp, then the greatest value; duplicates are harmless', async () => {
    expect(await latest('1000 0.5 0\n1000 0.7 0\n900 0.9 0\n1000 0.7 0\n')).toEqual({ step: 0, timestamp: 1000, value: 0.7 });
  });

  it('2-field lines have step 0; 5-field lines take the step from field 3', async () => {
    expect(await latest('1000 0.5\n900 0.25 3 eval_ds abc123\n')).toEqual({ step: 3, timestamp: 900, value: 0.25 });
  });

  it('nan, inf and -inf are values (the derived train/loss example: step 11 → NaN)', async () => {
    const p = await latest('1700000000000 0.25 10\n1700000000500 nan 11\n');
    expect(p?.step).toBe(11);
    expect(p?.value).toBeNaN();
    expect((await latest('1 -inf 0\n2 INF 0\n'))?.value).toBe(Infinity);
  });

  it('accepts CRLF line ends and a missing final newline; skips blank lines', async () => {
    expect(await latest('1 0.5 0\r\n\r\n2 0.75 0')).toEqual({ step: 0, timestamp: 2, value: 0.75 });
  });

  it('a file without points has no latest value', async () => {
    expect(await latest('')).toBeUndefined();
  });

  it('property: equals the reference maximum for any permutation and any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 40 }).chain((lines) =>
          fc.tuple(fc.constant(lines), fc.shuffledSubarray(lines, { minLength: lines.length, maxLength: lines.length }), fc.array(fc.nat({ max: 2000 }), { maxLength: 6 })),
        ),
        async ([lines, shuffled, cuts]) => {
          const expected = refLatest(lines)!;
          const a = await latest(lines.join('\n') + '\n', cuts);
          const b = await latest(shuffled.join('\n'), cuts);
          for (const got of [a, b]) {
            expect(got?.step).toBe(expected.step);
            expect(got?.timestamp).toBe(expected.timestamp);
            expect(Object.is(got?.value, expected.value)).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('malformed lines', () => {
  it.each([
    ['one field', '1700000000000'],
    ['four fields', '1 2 3 4'],
    ['six fields', '1 2 3 a b c'],
    ['a double space', '1  0.5 0'],
    ['a trailing space', '1 0.5 0 '],
    ['a fractional timestamp', '1.5 0.5 0'],
    ['a hex value', '1 0x10 0'],
    ['a fractional step', '1 0.5 0.5'],
    ['words', 'hello world'],
    ['an empty dataset field', '1 0.5 0  digest'],
  ])('%s → InputError naming the file and line', async (_label, bad) => {
    const err = await failure(latest(`1 0.5 0\n2 0.6 1\n${bad}\n3 0.7 2\n`));
    expect(err.location).toMatchObject({ file: 'metrics/m', line: 3 });
    expect(err.message).toMatch(/^line 3 /);
  });

  it('property: a garbage line anywhere is reported with its line number', async () => {
    const valid = /^[+-]?\d+ ([+-]?(nan|inf|infinity)|[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)( [+-]?\d+( \S+ \S+)?)?$/i;
    const garbage = fc
      .oneof(fc.string({ maxLength: 30 }), fc.constantFrom('1 2 3 4', '1 0x1 0', 'nan nan nan', '1,2,3', '1\t2\t3', '1 2 3 ', ' 1 2'))
      .filter((s) => !s.includes('\n') && !s.endsWith('\r') && s.replace(/\r$/, '') !== '' && !valid.test(s));
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 30 }), garbage, fc.nat(), fc.array(fc.nat({ max: 1500 }), { maxLength: 4 }), async (lines, bad, at, cuts) => {
        const index = at % (lines.length + 1);
        const all = [...lines.slice(0, index), bad, ...lines.slice(index)];
        const err = await failure(latest(all.join('\n') + '\n', cuts));
        expect(err.location?.line).toBe(index + 1);
      }),
      { numRuns: 300 },
    );
  });

  it('a line longer than the limit is refused without buffering the file', async () => {
    const err = await failure(latest('1 0.5 0\n' + '9'.repeat(MAX_METRIC_LINE_BYTES + 10), [100, 40000]));
    expect(err.location?.line).toBe(2);
    expect(err.message).toMatch(/longer than/);
  });
});

describe('history', () => {
  it('yields every point in file order, across chunks', async () => {
    const points = await collect(metricPoints(chunked('3 0.1 0\n1 nan 1\n2 0.3 1 ds d\n', [5, 9, 17]), 'm'));
    expect(points).toEqual([
      { step: 0, timestamp: 3, value: 0.1 },
      { step: 1, timestamp: 1, value: NaN },
      { step: 1, timestamp: 2, value: 0.3 },
    ]);
  });
});
