/**
 * Approvals need write access (SPEC section 4): through `dist/action.js` on pull_request, a
 * review counts only when its author association is OWNER, MEMBER or COLLABORATOR, also when
 * the policy names no `approvals.from` (anyone with a GitHub account can submit an APPROVED
 * review on a public repository).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST, POLICY } from '../helpers/registry';
import { actionsCheckout, makeWorld, pullRequestPayload, pushPullRequest, runAction, type ActionRun, type PullRequestRefs, type Runner, type World } from './harness';

/** Production needs one approval from anyone (no `from`). */
const ANYONE_POLICY = POLICY.replace('  Production:\n    from: [Staging]\n', '  Production:\n    from: [Staging]\n    approvals: { required: 1 }\n');
const PROMOTE_3 = MANIFEST.replace('stage: Production     # current champion', 'stage: Archived').replace('stage: Staging', 'stage: Production');

let world: World;
const runners: Runner[] = [];

beforeAll(async () => {
  world = await makeWorld({ 'policies/churn.yaml': ANYONE_POLICY }, { publicRepo: true });
});

afterAll(async () => {
  await Promise.all(runners.map((r) => r.cleanup()));
  await world.cleanup();
});

async function gate(pr: PullRequestRefs): Promise<ActionRun> {
  const runner = await actionsCheckout(world, { pr: pr.number, sha: pr.merge });
  runners.push(runner);
  return runAction(world, runner, { event: 'pull_request', payload: pullRequestPayload(pr), inputs: { comment: 'false' } });
}

describe('approvals without approvals.from need write access', () => {
  it('approvals by a contributor, a first-time contributor and an outsider deny; a collaborator’s then allows', async () => {
    const pr = await pushPullRequest(world, 31, (dev) => dev.write('registry/churn-predictor.yaml', PROMOTE_3));
    world.gh.addReview(31, 'eve', 'APPROVED', pr.head, 'CONTRIBUTOR');
    world.gh.addReview(31, 'frida', 'APPROVED', pr.head, 'FIRST_TIME_CONTRIBUTOR');
    world.gh.addReview(31, 'mallory', 'APPROVED', pr.head, 'NONE');
    const denied = await gate(pr);
    expect(denied.code).toBe(1);
    expect(denied.outputs.decision).toBe('deny');
    expect(denied.summary).toMatch(/0 of 1 required approvals/);
    expect(denied.summary).toMatch(/eve \(CONTRIBUTOR\), frida \(FIRST\\?_TIME\\?_CONTRIBUTOR\) and mallory \(NONE\) approved without write access/);

    world.gh.addReview(31, 'carl', 'APPROVED', pr.head, 'COLLABORATOR');
    const allowed = await gate(pr);
    expect(allowed.code).toBe(0);
    expect(allowed.outputs.decision).toBe('allow');
    expect(allowed.summary).toMatch(/1 approval \(carl\)/);
  });

  it('an OWNER’s approval counts, and so does a MEMBER’s', async () => {
    const pr = await pushPullRequest(world, 32, (dev) => dev.write('registry/churn-predictor.yaml', PROMOTE_3));
    world.gh.addReview(32, 'acme-admin', 'APPROVED', pr.head, 'OWNER');
    world.gh.addReview(32, 'mia', 'APPROVED', pr.head, 'MEMBER');
    const run = await gate(pr);
    expect(run.code).toBe(0);
    expect(run.summary).toMatch(/2 approvals \(acme-admin, mia\)/);
  });
});
