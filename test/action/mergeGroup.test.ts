/**
 * merge_group (a merge queue) through `dist/action.js`: the group commit is judged like a pull
 * request (SPEC section 8): base = merge_group.base_sha, head = the checked-out group commit,
 * approvals from the queued PR named in head_ref, the report in the summary, annotations and
 * outputs, no PR comment, deny fails the step. Events that should be judged but cannot be fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { MANIFEST, POLICY, runRecord } from '../helpers/registry';
import { actionsCheckout, expectTokenHidden, makeWorld, mergeGroupPayload, pullRequestPayload, pushToMain, runAction, TOKEN, workflowCommands, type ActionRun, type Runner, type World } from './harness';

const GATED = POLICY.replace('  Production:\n    from: [Staging]\n', '  Production:\n    from: [Staging]\n    approvals: { required: 1 }\n');
/** Base: v2 in Production, v3 and v4 in Staging. */
const BASE = MANIFEST.replace('aliases:', ['  - version: 4', '    run: runs/v4.json', '    stage: Staging', 'aliases:'].join('\n'));
const V2_ARCHIVED = BASE.replace('stage: Production     # current champion', 'stage: Archived');
const PROMOTE_3 = V2_ARCHIVED.replace('# retrained on March data\n    stage: Staging', '# retrained on March data\n    stage: Production');
const PROMOTE_4 = V2_ARCHIVED.replace('runs/v4.json\n    stage: Staging', 'runs/v4.json\n    stage: Production');
/** What the queue builds from both PRs: each promoted a different version to Production. */
const BOTH = PROMOTE_3.replace('runs/v4.json\n    stage: Staging', 'runs/v4.json\n    stage: Production');

let world: World;
let base: string;
const runners: Runner[] = [];
const dana = { login: 'dana', id: 7, type: 'User' as const };
const prHead = (n: number) => String(n % 10).repeat(40);

beforeAll(async () => {
  world = await makeWorld({ 'policies/churn.yaml': GATED });
  base = await pushToMain(
    world,
    async (dev) => {
      await dev.write('runs/v4.json', runRecord('run-v4', { val_auc: 0.883, latency_p99_ms: 8.1 }));
      await dev.write('registry/churn-predictor.yaml', BASE);
    },
    'register v4',
  );
  for (const n of [41, 42, 43]) world.gh.pulls.set(n, { number: n, state: 'open', merged: false, head: { sha: prHead(n), ref: `pr-${n}` }, base: { sha: base, ref: 'main' }, user: dana });
  world.gh.addReview(41, 'erin', 'APPROVED', prHead(41));
  world.gh.addReview(42, 'grace', 'APPROVED', prHead(42));
  world.gh.addReview(43, 'eve', 'APPROVED', prHead(43), 'CONTRIBUTOR');
});

afterAll(async () => {
  await Promise.all(runners.map((r) => r.cleanup()));
  await world.cleanup();
});

/** The queue's group commit for `pr` on top of main, pushed to its gh-readonly-queue branch. */
async function queue(pr: number, manifest: string): Promise<{ sha: string; branch: string }> {
  const { dev } = world;
  await dev.git(['fetch', '-q', 'origin']);
  await dev.git(['checkout', '-q', '--detach', base]);
  await dev.write('registry/churn-predictor.yaml', manifest);
  const sha = await dev.commitAll(`Merge pull request #${pr} from acme/pr-${pr}`);
  const branch = `gh-readonly-queue/main/pr-${pr}-${prHead(pr)}`;
  await dev.git(['push', '-q', '-f', 'origin', `${sha}:refs/heads/${branch}`]);
  return { sha, branch };
}

async function judge(pr: number, manifest: string, o: { inputs?: Record<string, string>; payload?: (p: ReturnType<typeof mergeGroupPayload>) => unknown } = {}): Promise<ActionRun> {
  const group = await queue(pr, manifest);
  const runner = await actionsCheckout(world, { branch: group.branch, sha: group.sha });
  runners.push(runner);
  const payload = mergeGroupPayload({ base, head: group.sha, pr, prHead: prHead(pr) });
  const run = await runAction(world, runner, { event: 'merge_group', payload: (o.payload ? o.payload(payload) : payload) as Record<string, unknown>, ...(o.inputs ? { inputs: o.inputs } : {}) });
  expectTokenHidden(run, TOKEN, (ok, what) => expect(ok, what).toBe(true));
  return run;
}

const commentRequests = () => world.gh.requests.filter((r) => r.path.includes('/comments'));

describe('merge_group', () => {
  it('each PR alone passes the queue: judged, approved by its reviewers, summary and outputs, no comment', async () => {
    for (const [pr, manifest, reviewer] of [[41, PROMOTE_3, 'erin'], [42, PROMOTE_4, 'grace']] as const) {
      const run = await judge(pr, manifest);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.outputs.decision).toBe('allow');
      expect(existsSync(run.outputs['report-path']!)).toBe(true);
      expect(run.summary).toContain('churn-predictor');
      expect(run.summary).toMatch(new RegExp(`1 approval \\(${reviewer}\\)`));
      expect(run.stdout).toContain(`queued #${pr}`);
    }
    expect(commentRequests()).toEqual([]);
  });

  it('the group holding both is denied by transition.single-production: exit 1, an annotation, no comment', async () => {
    const run = await judge(42, BOTH);
    expect(run.code).toBe(1);
    expect(run.outputs.decision).toBe('deny');
    expect(run.summary).toContain('transition.single-production');
    const errors = workflowCommands(run).filter((c) => c.name === 'error' && c.props.file === 'registry/churn-predictor.yaml');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((e) => e.data).join('\n')).toContain('transition.single-production');
    expect(commentRequests()).toEqual([]);
  });

  it('approvals come from the queued PR: an approval without write access does not count; fail-on-deny: false keeps the step green', async () => {
    const run = await judge(43, PROMOTE_3);
    expect(run.code).toBe(1);
    expect(run.summary).toMatch(/0 of 1 required approvals/);
    expect(run.summary).toMatch(/eve \(CONTRIBUTOR\) approved without write access/);
    const soft = await judge(43, PROMOTE_3, { inputs: { 'fail-on-deny': 'false' } });
    expect(soft.code).toBe(0);
    expect(soft.outputs.decision).toBe('deny');
  });
});

describe('judging expected but impossible fails the step, never a pass', () => {
  const fails = (run: ActionRun, why: RegExp) => {
    expect(run.code).toBe(2);
    expect(run.outputs.decision).toBe('error');
    expect(run.summary).toMatch(/could not judge/);
    expect(workflowCommands(run).some((c) => c.name === 'error' && why.test(c.data))).toBe(true);
  };

  it('a merge_group payload without base_sha, with a ref that is not a queue ref, or a checkout of another commit', async () => {
    fails(await judge(41, PROMOTE_3, { payload: (p) => ({ ...p, merge_group: { ...p.merge_group, base_sha: undefined } }) }), /lacks merge_group\.base_sha/);
    fails(await judge(41, PROMOTE_3, { payload: (p) => ({ ...p, merge_group: { ...p.merge_group, head_ref: 'refs/heads/feature' } }) }), /not a merge queue ref/);
    fails(await judge(41, PROMOTE_3, { payload: (p) => ({ ...p, merge_group: { ...p.merge_group, head_sha: 'a'.repeat(40) } }) }), /not the merge group commit/);
    fails(await judge(41, PROMOTE_3, { payload: (p) => ({ ...p, merge_group: undefined }) }), /lacks merge_group/);
  });

  it('a pull_request event without its fields, and command: check on an event it cannot judge', async () => {
    const runner = runners[0]!;
    const payload = pullRequestPayload({ number: 5, base: base, head: 'b'.repeat(40), merge: 'c'.repeat(40) }) as Record<string, unknown>;
    delete (payload.pull_request as Record<string, unknown>).base;
    fails(await runAction(world, runner, { event: 'pull_request', payload }), /lacks pull_request\.number, base\.sha or head\.sha/);
    fails(await runAction(world, runner, { event: 'schedule', payload: {}, inputs: { command: 'check' } }), /command 'check' runs on pull_request, pull_request_review and merge_group events, not 'schedule'/);
  });
});
