import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createReadStream, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendRecords, LineTooLongError, MAX_LINE_BYTES, parseRecordLine, readLines, serializeRecord } from '../../src/audit/log';
import { verifyChainStream } from '../../src/audit/chain';
import { InputError } from '../../src/errors';
import { chain, fields, MODEL } from './fixtures';

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const l of it) out.push(l);
  return out;
}

/** Streams `bytes` in chunks cut at the given offsets. */
async function* chunks(bytes: Uint8Array, cuts: number[]): AsyncIterable<Uint8Array> {
  let start = 0;
  for (const c of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (c <= start || c >= bytes.length) continue;
    yield bytes.slice(start, c);
    start = c;
  }
  yield bytes.slice(start);
}

describe('readLines', () => {
  it('splits UTF-8 lines correctly wherever the chunks are cut, multi-byte characters and CRLF included', async () => {
    const lineArb = fc.string({ unit: fc.constantFrom('a', 'é', '€', '😀', '\r', ' ', '"', '{'), maxLength: 8 }).filter((s) => !s.endsWith('\r'));
    await fc.assert(
      fc.asyncProperty(fc.array(lineArb, { maxLength: 6 }), fc.boolean(), fc.boolean(), fc.array(fc.nat(), { maxLength: 12 }), async (lines, crlf, finalNewline, cuts) => {
        const eol = crlf ? '\r\n' : '\n';
        let text = lines.join(eol);
        if (finalNewline && lines.length) text += eol;
        const bytes = new TextEncoder().encode(text);
        const got = await collect(readLines(chunks(bytes, cuts.map((c) => c % (bytes.length + 1)))));
        const expected = text === '' ? [] : text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
        if (text.endsWith('\n')) expected.pop();
        expect(got).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('cuts a 4-byte character across three chunks', async () => {
    const bytes = new TextEncoder().encode('x😀y\r\nz');
    expect(await collect(readLines(chunks(bytes, [2, 3, 4])))).toEqual(['x😀y', 'z']);
  });

  it('stops at a line over 1 MiB, naming it, without holding it', async () => {
    async function* big(): AsyncIterable<Uint8Array> {
      yield new TextEncoder().encode('{"ok":1}\n');
      for (let i = 0; i < 20; i++) yield new Uint8Array(64 * 1024).fill(0x61); // 1.25 MiB, no newline
    }
    const err = await collect(readLines(big(), 'audit/m.jsonl')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LineTooLongError);
    expect(err).toBeInstanceOf(InputError);
    expect((err as LineTooLongError).message).toBe('line 2 is longer than 1 MiB: not an audit record');
    expect((err as LineTooLongError).location).toEqual({ file: 'audit/m.jsonl', line: 2 });
    // Exactly the limit is still a line.
    const edge = new Uint8Array(MAX_LINE_BYTES + 1).fill(0x62);
    edge[MAX_LINE_BYTES] = 0x0a;
    expect((await collect(readLines(chunks(edge, [1000]))))[0]).toHaveLength(MAX_LINE_BYTES);
  });

  it('verify reports an over-long line as a problem of the log', async () => {
    async function* big(): AsyncIterable<Uint8Array> {
      yield new Uint8Array(MAX_LINE_BYTES + 10).fill(0x61);
    }
    const res = await verifyChainStream(readLines(big()), MODEL, 'audit/m.jsonl', () => undefined);
    expect(res.problems).toEqual([{ line: 1, message: 'line 1 of audit/m.jsonl is longer than 1 MiB: not an audit record; reading stopped there' }]);
  });

  it('rejects invalid UTF-8, naming the line, but keeps a real U+FFFD', async () => {
    const good = new TextEncoder().encode('ok \uFFFD\n');
    const bad = Uint8Array.from([...good, 0x61, 0xc3, 0x28, 0x0a]);
    expect(await collect(readLines(chunks(good, [])))).toEqual(['ok \uFFFD']);
    await expect(collect(readLines(chunks(bad, [5]), 'audit/m.jsonl'))).rejects.toThrow('line 2 is not valid UTF-8');
    const res = await verifyChainStream(readLines(chunks(bad, [5])), MODEL, 'audit/m.jsonl', () => undefined);
    expect(res.problems.map((p) => p.message)).toEqual(['line 1: not valid JSON', 'line 2 of audit/m.jsonl is not valid UTF-8; reading stopped there']);
  });
});

describe('parseRecordLine', () => {
  it('returns the record of a good line', () => {
    const [r] = chain([fields()]);
    expect(parseRecordLine(serializeRecord(r!), 'audit/m.jsonl', 1)).toEqual(r);
  });

  it('locates bad JSON at its line and column', () => {
    const err = (() => {
      try {
        parseRecordLine('{"seq":1,}', 'audit/m.jsonl', 7);
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect(err!.message).toMatch(/^line 7 is not valid JSON/);
    expect(err!.location).toMatchObject({ file: 'audit/m.jsonl', line: 7, column: 10 });
  });

  it('says which field makes a line not a record', () => {
    expect(() => parseRecordLine('{"seq":0}', 'audit/m.jsonl', 2)).toThrow('line 2 is not an audit record: "seq" must be a positive integer');
  });
});

describe('appendRecords', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'modelgate-audit-log-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const verifyFile = async (path: string) => verifyChainStream(readLines(createReadStream(path)), MODEL, path, () => undefined);

  it('creates the log (and its directory), then appends one canonical line per record', async () => {
    const path = join(dir, 'audit', `${MODEL}.jsonl`);
    const records = chain([fields({ version: 1 }), fields({ version: 2 }), fields({ version: 3 })]);
    await appendRecords(path, records.slice(0, 1));
    await appendRecords(path, records.slice(1));
    const text = await fs.readFile(path, 'utf8');
    expect(text).toBe(records.map((r) => serializeRecord(r) + '\n').join(''));
    expect(await verifyFile(path)).toEqual({ count: 3, problems: [] });
    expect(await fs.readdir(join(dir, 'audit'))).toEqual([`${MODEL}.jsonl`]); // no temp files left
  });

  it('does not glue a record onto a last line that lacks its newline', async () => {
    const path = join(dir, 'm.jsonl');
    const records = chain([fields({ version: 1 }), fields({ version: 2 })]);
    await fs.writeFile(path, serializeRecord(records[0]!));
    await appendRecords(path, records.slice(1));
    expect(await verifyFile(path)).toEqual({ count: 2, problems: [] });
  });

  it('writes nothing when the records do not continue each other', async () => {
    const path = join(dir, 'm.jsonl');
    const [a] = chain([fields()]);
    const [b] = chain([fields()]);
    await expect(appendRecords(path, [a!, b!])).rejects.toThrow(/does not continue/);
    await expect(fs.stat(path)).rejects.toThrow(/ENOENT/);
  });
});
