/**
 * The example workflows (examples/workflows) are what users copy: they must be valid YAML, use
 * only inputs and outputs action.yml declares, and carry the permissions and concurrency each
 * flow needs. action.yml itself matches the spec (node24, the inputs, their defaults).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (p: string) => parse(readFileSync(`${root}${p}`, 'utf8')) as Record<string, unknown>;

interface ActionYml {
  runs: { using: string; main: string };
  branding: { icon: string; color: string };
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, unknown>;
}
interface Step {
  uses?: string;
  id?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
  run?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  concurrency: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, { environment?: string; steps: Step[] }>;
}

const action = read('action.yml') as unknown as ActionYml;
const modelgateSteps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps.filter((s) => s.uses?.includes('/modelgate@')));

describe('action.yml', () => {
  it('runs the bundled entry on node24 with the spec’s inputs, defaults and outputs', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/action.js' });
    expect(action.branding.icon).toBeTruthy();
    expect(Object.keys(action.inputs).sort()).toEqual(['alias', 'allow-any-ref', 'command', 'comment', 'commit-mode', 'fail-on-deny', 'github-token', 'model', 'reason', 'repo-path', 'sync', 'to', 'version'].sort());
    expect(action.inputs.sync!.default).toBe('');
    expect(action.inputs.command!.default).toBe('auto');
    expect(action.inputs['github-token']!.default).toBe('${{ github.token }}');
    expect(action.inputs.comment!.default).toBe('true');
    expect(action.inputs['fail-on-deny']!.default).toBe('true');
    expect(action.inputs['commit-mode']!.default).toBe('git');
    expect(action.inputs['allow-any-ref']!.default).toBe('false');
    expect(Object.keys(action.outputs).sort()).toEqual(['commit-sha', 'decision', 'report-path']);
  });
});

describe('examples/workflows', () => {
  const flows: [string, string, Record<string, string>][] = [
    ['gate.yml', 'pull_request', { 'pull-requests': 'write', contents: 'read' }],
    ['record.yml', 'push', { contents: 'write' }],
    ['rollback.yml', 'workflow_dispatch', { contents: 'write' }],
  ];
  for (const [file, event, permissions] of flows) {
    it(`${file}: on ${event}, least permissions, a concurrency group, only declared inputs/outputs`, () => {
      const w = read(`examples/workflows/${file}`) as unknown as Workflow;
      expect(Object.keys(w.on)).toContain(event);
      expect(w.permissions).toMatchObject(permissions);
      expect(w.concurrency.group).toMatch(/modelgate/);
      const steps = modelgateSteps(w);
      expect(steps).toHaveLength(1);
      for (const name of Object.keys(steps[0]!.with ?? {})) expect(Object.keys(action.inputs)).toContain(name);
      const text = readFileSync(`${root}examples/workflows/${file}`, 'utf8');
      // Outputs read from the modelgate step exist (other steps, e.g. an App token's, are theirs).
      const ids = new Set(steps.map((s) => (s as { id?: string }).id).filter(Boolean));
      for (const m of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) if (ids.has(m[1])) expect(Object.keys(action.outputs)).toContain(m[2]);
      expect(ids.size === 0 || [...text.matchAll(/steps\.([\w-]+)\.outputs/g)].some((m) => ids.has(m[1]))).toBe(true);
      // Event data never reaches a shell: `run:` scripts read it from env, not ${{ }}.
      for (const s of Object.values(w.jobs).flatMap((j) => j.steps)) expect(s.run ?? '').not.toMatch(/\$\{\{/);
    });
  }

  it('gate.yml also judges merge queues (merge_group), each group in its own concurrency group', () => {
    const w = read('examples/workflows/gate.yml') as unknown as Workflow;
    expect(Object.keys(w.on).sort()).toEqual(['merge_group', 'pull_request', 'pull_request_review']);
    expect(w.concurrency.group).toContain('github.event.merge_group.head_ref');
    expect(w.concurrency.group).toContain('github.event.pull_request.number');
    // command stays auto: check on pull_request(_review) and on merge_group.
    expect(modelgateSteps(w)[0]!.with?.command ?? 'auto').toBe('auto');
  });

  it('rollback.yml takes model, version, alias and reason, behind an environment with reviewers', () => {
    const w = read('examples/workflows/rollback.yml') as unknown as Workflow & { on: { workflow_dispatch: { inputs: Record<string, { required: boolean }> } } };
    expect(Object.keys(w.on.workflow_dispatch.inputs)).toEqual(['model', 'version', 'alias', 'reason']);
    expect(w.on.workflow_dispatch.inputs.reason!.required).toBe(true);
    expect(w.jobs.rollback!.environment).toBeTruthy();
    expect(modelgateSteps(w)[0]!.with).toMatchObject({ command: 'rollback', model: '${{ inputs.model }}', version: '${{ inputs.version }}', alias: '${{ inputs.alias }}', reason: '${{ inputs.reason }}' });
    expect(w.on.workflow_dispatch.inputs.alias?.required).toBe(false);
    // Writers share one group and queue rather than cancel.
    const record = read('examples/workflows/record.yml') as unknown as Workflow;
    expect(w.concurrency).toEqual(record.concurrency);
    expect(w.concurrency['cancel-in-progress']).toBe(false);
  });
});
