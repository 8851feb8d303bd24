/**
 * Hostile YAML and JSON in the documents modelgate governs with: a model manifest, a policy
 * and modelgate.yaml, read by `validate`. Each hostile variant is planted in a real registry
 * and the bundled CLI is run as a user would: it exits 2 naming the file (and line where there
 * is one), prints no stack trace, writes nothing, and stays within the time and memory bounds;
 * a BOM or CRLF line endings are accepted. (input-check.test.ts: the same through `check`.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestRepo } from '../helpers/git';
import { makeHardeningRegistry, TARGETS } from './fixtures/registry';
import { HOSTILE, PWNED, makeBigFile, plant, type Hostile } from './fixtures/hostile';
import { expectBounded, modelgateMeasured, resetRepo, summary, worktreeSnapshot } from './fixtures/harness';

let repo: TestRepo;
let scratch: string;
let big: string;

beforeAll(async () => {
  repo = await makeHardeningRegistry();
  scratch = await mkdtemp(join(tmpdir(), 'mg-hostile-'));
  big = join(scratch, 'big');
  await makeBigFile(big);
});

afterAll(async () => {
  console.log(summary('hostile documents'));
  await repo?.cleanup();
  if (scratch) await rm(scratch, { recursive: true, force: true });
  expect(existsSync(PWNED)).toBe(false);
});

const DOCUMENTS = ['manifest', 'policy', 'config'] as const;

/** Whether `validate` must accept the variant for this document. */
function accepted(doc: (typeof DOCUMENTS)[number], h: Hostile): boolean {
  // An empty modelgate.yaml is the defaults (SPEC section 1: every key is optional).
  return h.outcome === 'accept' || (doc === 'config' && h.name === 'an empty file');
}

async function plantIn(doc: (typeof DOCUMENTS)[number], h: Hostile): Promise<string> {
  const path = TARGETS[doc];
  const valid = await readFile(join(repo.dir, path));
  await plant(join(repo.dir, path), h.make(valid, big));
  return path;
}

describe.each(DOCUMENTS)('hostile %s, read by `validate`', (doc) => {
  it.each(HOSTILE.map((h) => [h.name, h] as const))('%s', async (_name, h) => {
    await resetRepo(repo.dir);
    const path = await plantIn(doc, h);
    const before = await worktreeSnapshot(repo.dir);
    const r = await modelgateMeasured(repo.dir, ['validate'], `validate: ${doc}: ${h.name}`);
    expectBounded(r, h.name);
    if (accepted(doc, h)) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    } else {
      expect(r.code, r.stderr).toBe(2);
      // The message names the file, with a line where the problem has one.
      expect(r.stderr).toContain(`error: ${path}`);
      if (/duplicate|tag|UTF-8|deep|flow items/.test(h.name)) expect(r.stderr).toMatch(new RegExp(`${path.replace('.', '\\.')}(:\\d+|.*\\(line \\d+\\))`));
    }
    expect(await worktreeSnapshot(repo.dir)).toBe(before);
  });
});

describe('documents of the wrong shape', () => {
  // Found by the fuzz suite: a modelgate.yaml holding a scalar crashed the schema message
  // (ajv reports `type: ["object", "null"]` as a list) and exited 3 as an internal error.
  it.each([
    ['config', 'hello\n', /modelgate\.yaml:1:1 \(at \/\): the document must be a mapping or null, got a string/],
    ['config', '[registry]\n', /must be a mapping or null, got a list/],
    ['manifest', '"just a string"\n', /must be a mapping/],
    ['policy', '- a\n- b\n', /must be a mapping/],
  ] as const)('%s: %j → exit 2', async (doc, text, message) => {
    await resetRepo(repo.dir);
    await plant(join(repo.dir, TARGETS[doc]), { bytes: Buffer.from(text) });
    const r = await modelgateMeasured(repo.dir, ['validate'], `validate: ${doc}: ${text.trim()}`);
    expectBounded(r, text);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

