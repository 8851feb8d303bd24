/**
 * The benchmark's synthetic registry (bench/lib/synthetic.mjs) must be something modelgate
 * accepts as it stands: manifests and policies load, each run reads as a finished MLflow run
 * whose model digest is the manifest's, and each audit log verifies and replays to its
 * manifest. Otherwise the benchmark would time error paths. Also: the same seed gives the same
 * bytes, so model i is identical in every registry size (files_read compares across sizes).
 */
import { describe, expect, it } from 'vitest';
import {
  DOMAINS,
  auditLines,
  lifeEvents,
  manifestYaml,
  modelName,
  modelPlan,
  policyYaml,
  runFiles,
  stateAfter,
} from '../../bench/lib/synthetic.mjs';
import { parseStrace } from '../../bench/lib/trace.mjs';
import { loadManifest } from '../../src/manifest/load';
import { loadPolicies } from '../../src/policy/load';
import { readPlainRun } from '../helpers/plainRun';
import { digestArtifact } from '../../src/artifacts/digest';
import { verifyChainStream } from '../../src/audit/chain';
import { Replayer, compareWithManifest } from '../../src/audit/replay';
import { MemorySource } from '../runs/sources';

const SEED = 'test-seed';
const PARAMS = { versions: 12, records: 80, changed: [0, 1] };
const SOURCE_COMMITS = ['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(40)];

function model(i: number, head: boolean) {
  const plan = modelPlan(SEED, i, PARAMS);
  const runs = plan.versions.map((v) => runFiles(plan, v, 20));
  const digests = runs.map((r) => r.digest);
  const events = head ? plan.events : plan.events.filter((e) => !e.inPr);
  return { plan, runs, digests, events, manifest: manifestYaml(plan, digests, events), audit: [...auditLines(plan, digests, events, SOURCE_COMMITS, 'sha256:' + '1'.repeat(64))] };
}

async function* each(lines: string[]): AsyncIterable<string> {
  yield* lines;
}

describe('the synthetic registry', () => {
  it('is deterministic: the same seed and model index give the same files, whatever else is generated', () => {
    const a = model(3, false);
    modelPlan('another-seed', 3, PARAMS); // draws elsewhere must not shift this model
    const b = model(3, false);
    expect(b.manifest).toBe(a.manifest);
    expect(b.audit).toEqual(a.audit);
    expect(b.runs.map((r) => r.files.map(([p, c]) => `${p}:${c.toString()}`))).toEqual(a.runs.map((r) => r.files.map(([p, c]) => `${p}:${c.toString()}`)));
    expect(model(4, false).manifest).not.toBe(a.manifest);
  });

  it('writes manifests and policies that modelgate loads without a problem', () => {
    for (const i of [0, 1, 7]) {
      const m = model(i, i < 2);
      const loaded = loadManifest(m.manifest, `registry/${modelName(i)}.yaml`);
      expect(loaded.manifest.versions).toHaveLength(PARAMS.versions);
    }
    const policies = loadPolicies(DOMAINS.map((d) => ({ path: `policies/${d.name}.yaml`, text: policyYaml(d) })));
    expect(policies.map((p) => p.doc.name).sort()).toEqual(DOMAINS.map((d) => d.name).sort());
  });

  it('base state: one Production version (N-1), N in Staging; the PR promotes N, archives N-1 and moves @champion', () => {
    const base = loadManifest(model(0, false).manifest, `registry/${modelName(0)}.yaml`).manifest;
    const head = loadManifest(model(0, true).manifest, `registry/${modelName(0)}.yaml`).manifest;
    const stage = (m: typeof base, v: number) => m.versions.find((x) => x.version === v)?.stage;
    expect([stage(base, 11), stage(base, 12), base.aliases.champion]).toEqual(['Production', 'Staging', 11]);
    expect([stage(head, 11), stage(head, 12), head.aliases.champion]).toEqual(['Archived', 'Production', 12]);
    expect(base.versions.filter((v) => v.stage === 'Production')).toHaveLength(1);
  });

  it('writes MLflow runs that read as FINISHED, with the latest metric values and the digest the manifest holds', async () => {
    const m = model(1, true);
    const v = m.plan.versions[PARAMS.versions - 1]!;
    const files = Object.fromEntries(m.runs[PARAMS.versions - 1]!.files.map(([p, c]) => [p, typeof c === 'string' ? c : new Uint8Array(c)]));
    const source = new MemorySource(files);
    const run = await readPlainRun(source, v.runPath);
    expect(run.status).toBe('FINISHED');
    expect(run.metrics).toEqual(v.final);
    expect(run.params.random_seed).toMatch(/^\d+$/);
    expect(run.signature.state).toBe('found');
    expect(run.artifact).toBe(`${v.runPath}/artifacts/model`);
    const digest = await digestArtifact(run.artifact!, { repoSource: source, env: {} });
    expect(digest.digest).toBe(m.digests[PARAMS.versions - 1]);
  });

  it('writes audit logs whose chain verifies and whose replay is the manifest (base and head)', async () => {
    for (const [i, head] of [
      [0, true],
      [0, false],
      [5, false],
    ] as const) {
      const m = model(i, head);
      const replay = new Replayer();
      const result = await verifyChainStream(each(m.audit), m.plan.name, 'audit.jsonl', (r) => replay.apply(r));
      expect(result.problems).toEqual([]);
      expect(result.count).toBe(m.audit.length);
      const manifest = loadManifest(m.manifest, `registry/${m.plan.name}.yaml`).manifest;
      expect(compareWithManifest(replay.state, manifest)).toEqual([]);
    }
  });

  it("appends the PR's records: the base log is a prefix of the head log, record for record", () => {
    for (const i of [0, 1]) {
      const base = model(i, false).audit;
      const head = model(i, true).audit;
      expect(head.length).toBeGreaterThan(base.length);
      expect(head.slice(0, base.length)).toEqual(base);
    }
  });

  it('gives every model the requested number of records in its head state', () => {
    expect(model(0, true).audit).toHaveLength(PARAMS.records); // changed: the PR's records included
    expect(model(7, true).audit).toHaveLength(PARAMS.records); // unchanged
    expect(model(0, false).audit).toHaveLength(PARAMS.records - 3);
    // Fewer records than a natural life needs: the natural life, unpadded.
    const events = lifeEvents({ versions: 10, records: 5, promoteInPr: false });
    expect(events).toHaveLength(5 * 10 - 4);
    expect(stateAfter(10, events).stages.get(9)).toBe('Production');
  });
});

describe('strace parsing (files_read)', () => {
  it('reads opens, failed opens, directories, execs and calls split across threads', () => {
    const text = [
      '100 execve("/usr/bin/node", ["node", "cli.js"], 0x7ffd /* 20 vars */) = 0',
      '101 openat(AT_FDCWD, "/repo/registry/a.yaml", O_RDONLY|O_CLOEXEC <unfinished ...>',
      '102 openat(AT_FDCWD, "/repo/mlruns/1/r/params", O_RDONLY|O_CLOEXEC|O_DIRECTORY) = 21',
      '101 <... openat resumed>) = 20',
      '103 openat(AT_FDCWD, "/repo/missing.json", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)',
      '104 execve("/usr/bin/git", ["git", "cat-file", "--batch"], 0x55 /* 21 vars */) = 0',
    ].join('\n');
    const { opens, execs, unparsed } = parseStrace(text);
    expect(unparsed).toEqual([]);
    expect(execs.map((e) => e.argv)).toEqual([
      ['node', 'cli.js'],
      ['git', 'cat-file', '--batch'],
    ]);
    expect(opens).toEqual([
      { pid: 102, path: '/repo/mlruns/1/r/params', directory: true, ok: true },
      { pid: 101, path: '/repo/registry/a.yaml', directory: false, ok: true },
      { pid: 103, path: '/repo/missing.json', directory: false, ok: false, error: 'ENOENT' },
    ]);
  });
});
