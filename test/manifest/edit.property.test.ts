/**
 * Property: any sequence of edits on any valid manifest, whatever its layout (indentation,
 * quoting, key order, comments, blank lines, CRLF), re-loads to exactly the intended manifest,
 * keeps every comment, uses the file's line ending, and touches only the lines it must.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { addVersion, setAlias, setDigest, setStage } from '../../src/manifest/edit';
import { loadManifest } from '../../src/manifest/load';
import { STAGES, type Manifest, type ModelVersion, type Stage } from '../../src/manifest/types';

const FILE = 'registry/fraud.yaml';
const KEYS = ['version', 'run', 'artifact', 'digest', 'stage'] as const;
type Key = (typeof KEYS)[number];
type Quote = 'plain' | 'double' | 'single';

interface Style {
  eol: '\n' | '\r\n';
  dashCol: 0 | 2 | 4;
  gap: 1 | 3; // spaces between `-` and the first key
  aliasIndent: 2 | 4;
  aliasesForm: 'none' | 'empty' | 'block';
}

interface Item {
  v: ModelVersion;
  order: Key[];
  quotes: Record<Key, Quote>;
  commentBefore: string | undefined;
  trailing: string | undefined;
  blankBefore: boolean;
}

const stage = fc.constantFrom(...STAGES);
const quote = fc.constantFrom<Quote>('plain', 'double', 'single');
const comment = fc.option(fc.stringMatching(/^[a-z0-9 .,:'-]{1,20}$/).map((s) => `# ${s}`), { nil: undefined });
const pathSeg = fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,8}$/);
const runPath = fc.array(pathSeg, { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));
const digest = fc.stringMatching(/^[0-9a-f]{64}$/).map((h) => `sha256:${h}`);
const aliasName = fc.constantFrom('champion', 'challenger', 'shadow', 'canary');

const item = (version: number) =>
  fc.record({
    v: fc.record({
      run: runPath,
      artifact: fc.option(fc.oneof(runPath, runPath.map((p) => `s3://ml-models/${p}/`)), { nil: undefined }),
      digest: fc.option(digest, { nil: undefined }),
      stage,
    }).map((r): ModelVersion => ({ version, run: r.run, ...(r.artifact ? { artifact: r.artifact } : {}), ...(r.digest ? { digest: r.digest } : {}), stage: r.stage })),
    order: fc.shuffledSubarray([...KEYS], { minLength: KEYS.length }),
    quotes: fc.record({ version: fc.constant<Quote>('plain'), run: quote, artifact: quote, digest: quote, stage: quote }),
    commentBefore: comment,
    trailing: comment,
    blankBefore: fc.boolean(),
  });

const manifestArb = fc
  .record({
    style: fc.record({
      eol: fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
      dashCol: fc.constantFrom<0 | 2 | 4>(0, 2, 4),
      gap: fc.constantFrom<1 | 3>(1, 3),
      aliasIndent: fc.constantFrom<2 | 4>(2, 4),
      aliasesForm: fc.constantFrom<Style['aliasesForm']>('none', 'empty', 'block'),
    }),
    count: fc.integer({ min: 1, max: 5 }),
    header: comment,
    footer: comment,
  })
  .chain(({ style, count, header, footer }) =>
    fc.record({
      style: fc.constant(style),
      header: fc.constant(header),
      footer: fc.constant(footer),
      items: fc.tuple(...Array.from({ length: count }, (_, i) => item(i + 1))),
      aliases: style.aliasesForm === 'block' ? fc.dictionary(aliasName, fc.integer({ min: 1, max: count }), { minKeys: 1, maxKeys: 3 }) : fc.constant({}),
    }),
  );

function scalar(value: string | number, q: Quote): string {
  if (typeof value === 'number') return String(value);
  if (q === 'plain') return stringify(value).trimEnd(); // quoted only where plain would not read back as a string
  return q === 'double' ? JSON.stringify(value) : `'${value}'`;
}

function render(m: { style: Style; header: string | undefined; footer: string | undefined; items: Item[]; aliases: Record<string, number> }): string {
  const { style } = m;
  const out: string[] = [];
  if (m.header) out.push(m.header, '');
  out.push('apiVersion: modelgate/v1', 'kind: Model', 'name: "fraud"   # same as the file name', 'versions:');
  const keyCol = style.dashCol + 1 + style.gap;
  for (const it of m.items) {
    if (it.blankBefore) out.push('');
    if (it.commentBefore) out.push(' '.repeat(style.dashCol) + it.commentBefore);
    const keys = it.order.filter((k) => it.v[k] !== undefined);
    keys.forEach((k, i) => {
      const prefix = i === 0 ? ' '.repeat(style.dashCol) + '-' + ' '.repeat(style.gap) : ' '.repeat(keyCol);
      const trailing = i === keys.length - 1 && it.trailing ? `  ${it.trailing}` : '';
      out.push(`${prefix}${k}: ${scalar(it.v[k]!, it.quotes[k])}${trailing}`);
    });
  }
  if (style.aliasesForm === 'empty') out.push('aliases: {}');
  if (style.aliasesForm === 'block') {
    out.push('# who serves traffic', 'aliases:');
    for (const [a, v] of Object.entries(m.aliases)) out.push(`${' '.repeat(style.aliasIndent)}${a}: ${v}`);
  }
  if (m.footer) out.push(m.footer);
  return out.join(style.eol) + style.eol;
}

type Op =
  | { kind: 'setStage'; pick: number; stage: Stage }
  | { kind: 'setAlias'; alias: string; pick: number }
  | { kind: 'addVersion'; run: string; artifact: string | undefined; stage: Stage }
  | { kind: 'setDigest'; pick: number; digest: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('setStage' as const), pick: fc.nat(), stage }),
  fc.record({ kind: fc.constant('setAlias' as const), alias: aliasName, pick: fc.nat() }),
  fc.record({ kind: fc.constant('addVersion' as const), run: runPath, artifact: fc.option(runPath, { nil: undefined }), stage }),
  fc.record({ kind: fc.constant('setDigest' as const), pick: fc.nat(), digest }),
);

/** Applies an op to the text and to the model; returns whether it may only replace lines. */
function apply(text: string, model: Manifest, o: Op): { text: string; replaceOnly: boolean } {
  const pick = (n: number) => model.versions[n % model.versions.length]!;
  switch (o.kind) {
    case 'setStage': {
      const v = pick(o.pick);
      v.stage = o.stage;
      return { text: setStage(text, FILE, v.version, o.stage), replaceOnly: true };
    }
    case 'setAlias': {
      const v = pick(o.pick);
      const existed = o.alias in model.aliases;
      model.aliases[o.alias] = v.version;
      return { text: setAlias(text, FILE, o.alias, v.version), replaceOnly: existed };
    }
    case 'addVersion': {
      const version = Math.max(...model.versions.map((v) => v.version)) + 1;
      const entry: ModelVersion = { version, run: o.run, ...(o.artifact ? { artifact: o.artifact } : {}), stage: o.stage };
      model.versions.push({ ...entry });
      return { text: addVersion(text, FILE, entry), replaceOnly: false };
    }
    case 'setDigest': {
      const v = pick(o.pick);
      const existed = v.digest !== undefined;
      v.digest = o.digest;
      return { text: setDigest(text, FILE, v.version, o.digest), replaceOnly: existed };
    }
  }
}

const commentsOf = (t: string) => (t.match(/#[^\r\n]*/g) ?? []).sort();

function isSubsequence(small: string[], big: string[]): boolean {
  let i = 0;
  for (const l of big) if (i < small.length && l === small[i]) i++;
  return i === small.length;
}

describe('manifest edits (property)', () => {
  it('random edit sequences on random layouts re-load to the intended manifest and keep every comment', () => {
    fc.assert(
      fc.property(manifestArb, fc.array(op, { minLength: 1, maxLength: 8 }), (m, ops) => {
        const original = render(m);
        const model: Manifest = loadManifest(original, FILE, { singleProduction: false }).manifest;
        expect(model.versions).toHaveLength(m.items.length);
        const comments = commentsOf(original);
        let text = original;
        for (const o of ops) {
          const before = text;
          const emptyAliases = /^aliases: \{\}\r?$/m.test(before);
          const r = apply(before, model, o);
          text = r.text;
          expect(loadManifest(text, FILE, { singleProduction: false }).manifest).toEqual(model);
          // Minimal diff: a replacement touches at most one line; an insertion keeps every line.
          const a = before.split(m.style.eol);
          const b = text.split(m.style.eol);
          if (r.replaceOnly) {
            expect(b).toHaveLength(a.length);
            expect(a.filter((l, i) => l !== b[i]).length).toBeLessThanOrEqual(1);
          } else if (!(o.kind === 'setAlias' && emptyAliases)) {
            expect(isSubsequence(a, b)).toBe(true);
          }
        }
        expect(commentsOf(text)).toEqual(expect.arrayContaining(comments));
        for (const c of comments) expect(commentsOf(text).filter((x) => x === c).length).toBeGreaterThanOrEqual(comments.filter((x) => x === c).length);
        if (m.style.eol === '\r\n') expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
        else expect(text).not.toContain('\r');
      }),
      { numRuns: 150 },
    );
  });
});
