/**
 * Events the Action has nothing to do on, and events it must refuse: fast, clear, and without
 * loading octokit or the AWS SDK (the cold start is benchmarked).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ACTION } from '../helpers/cli';
import { pullRequestPayload, pushPayload, runAction, TOKEN, workflowCommands, type Runner } from './harness';
import { tokenHidden } from './scenario';

let runner: Runner;

beforeAll(async () => {
  const temp = await mkdtemp(join(tmpdir(), 'mg-runner-'));
  const workspace = join(temp, 'work', 'models', 'models');
  await mkdir(workspace, { recursive: true });
  runner = { temp, workspace, cleanup: () => rm(temp, { recursive: true, force: true }) };
});
afterAll(() => runner.cleanup());

const sha = (c: string) => c.repeat(40);

describe('no-op events', () => {
  it('an event with nothing to do exits 0 quickly and says why', async () => {
    const run = await runAction(undefined, runner, { event: 'schedule', payload: { schedule: '0 6 * * 1' } });
    tokenHidden(run);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("nothing to do on 'schedule' events");
    expect(run.outputs).toEqual({});
    expect(run.lines).toContain(`::add-mask::${TOKEN}`);
  });

  it('a push to a branch other than the default one records nothing', async () => {
    const run = await runAction(undefined, runner, { event: 'push', payload: pushPayload({ before: sha('a'), after: sha('b'), ref: 'refs/heads/feature/x' }) });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('modelgate records pushes to the default branch (main)');
  });

  it('pull_request_target is refused with the reason (exit 2, decision=error)', async () => {
    const payload = pullRequestPayload({ number: 3, base: sha('a'), head: sha('b'), merge: sha('c') });
    const run = await runAction(undefined, runner, { event: 'pull_request_target', payload });
    tokenHidden(run);
    expect(run.code).toBe(2);
    expect(run.outputs.decision).toBe('error');
    expect(workflowCommands(run).some((c) => c.name === 'error' && /pull_request_target/.test(c.data))).toBe(true);
    expect(run.summary).toContain('could not judge');
  });

  it('an unknown command or a bad boolean input is exit 2 naming the input', async () => {
    const bad = await runAction(undefined, runner, { event: 'workflow_dispatch', payload: {}, inputs: { command: 'promte' } });
    expect(bad.code).toBe(2);
    expect(workflowCommands(bad).some((c) => c.name === 'error' && /unknown command 'promte'/.test(c.data))).toBe(true);
    const flag = await runAction(undefined, runner, { event: 'schedule', payload: {}, inputs: { 'fail-on-deny': 'sometimes' } });
    expect(flag.code).toBe(2);
    expect(workflowCommands(flag).some((c) => c.name === 'error' && /fail-on-deny/.test(c.data))).toBe(true);
  });
});

/** Files action.js loads before running: its static imports, transitively (not `import()`). */
function staticGraph(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^import\s+(?:[^'";]*?\s+from\s+)?["'](\.{1,2}\/[^"']+)["'];?/gm)) {
      const target = resolve(dirname(file), m[1]!);
      if (existsSync(target)) visit(target); // bundled third-party text can quote import statements
    }
  };
  visit(entry);
  return [...seen];
}

function dynamicTargets(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/import\(["'](\.{1,2}\/[^"']+)["']\)/g)].map((m) => resolve(dirname(file), m[1]!)).filter((f) => existsSync(f));
}

describe('cold start', () => {
  it('the entry point loads neither octokit nor the AWS SDK; they are reached only through import()', () => {
    expect(existsSync(ACTION)).toBe(true);
    const heavy = /^\/\/ node_modules\/(@octokit|octokit|@aws-sdk|@smithy)\//m;
    const eager = staticGraph(ACTION);
    expect(eager.length).toBeGreaterThan(1);
    expect(eager.filter((f) => heavy.test(readFileSync(f, 'utf8')))).toEqual([]);
    // Not vacuous: the lazily loaded parts do hold octokit.
    const lazy = new Set<string>();
    for (const f of eager) for (const d of dynamicTargets(f)) for (const g of staticGraph(d)) lazy.add(g);
    const all = new Set(lazy);
    for (const f of lazy) for (const d of dynamicTargets(f)) for (const g of staticGraph(d)) all.add(g);
    expect([...all].some((f) => /^\/\/ node_modules\/(@octokit|octokit)\//m.test(readFileSync(f, 'utf8')))).toBe(true);
  });
});
