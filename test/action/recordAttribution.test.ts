/**
 * `record` on push attributes each recorded commit from GitHub (SPEC section 7), never from
 * its message: the commit's associated pull request whose merge commit or merged head is that
 * commit, with that PR's approvals on its merged head (write access, not the author). Through
 * `dist/action.js` on a real remote with the fake API.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MANIFEST, POLICY } from '../helpers/registry';
import { actionsCheckout, makeWorld, pushPayload, pushToMain, runAction, workflowCommands, type ActionRun, type World } from './harness';
import { auditRecords, freshClone, tokenHidden } from './scenario';

const GATED = POLICY.replace('  Production:\n    from: [Staging]\n', '  Production:\n    from: [Staging]\n    approvals: { required: 1 }\n');
const PROMOTE_3 = MANIFEST.replace('stage: Production     # current champion', 'stage: Archived').replace('stage: Staging', 'stage: Production');
const V1_STAGING = PROMOTE_3.replace('    run: runs/v1.json\n    stage: Archived', '    run: runs/v1.json\n    stage: Staging');
/** After PROMOTE_3: v1 back to Production (v3 archived), which needs an approval. */
const V1_PRODUCTION = PROMOTE_3.replace('    run: runs/v1.json\n    stage: Archived', '    run: runs/v1.json\n    stage: Production').replace('# retrained on March data\n    stage: Production', '# retrained on March data\n    stage: Archived');
const dana = { login: 'dana', id: 7, type: 'User' as const };

const worlds: World[] = [];
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.cleanup()));
});

async function gatedWorld(): Promise<World> {
  const w = await makeWorld({ 'policies/churn.yaml': GATED });
  worlds.push(w);
  return w;
}

const head = async (w: World) => (await w.remoteGit(['rev-parse', 'main'])).trim();

async function recordPush(w: World, before: string, after: string): Promise<ActionRun> {
  const runner = await actionsCheckout(w, { branch: 'main', sha: after });
  try {
    const run = await runAction(w, runner, { event: 'push', payload: pushPayload({ before, after }) });
    tokenHidden(run);
    return run;
  } finally {
    await runner.cleanup();
  }
}

type Source = { commit: string; pr?: number; approvals?: { login: string; commit: string }[] };
const sources = async (w: World) => (await auditRecords(await freshClone(w))).filter((r) => r.action !== 'register').map((r) => r.source as Source);

describe('record attribution from GitHub', () => {
  it('a direct push whose subject names an approved PR (`… (#7)`) gets no PR and no approvals; the bypass is reported', async () => {
    const w = await gatedWorld();
    const before = await head(w);
    // PR #7 exists, was merged elsewhere and approved: the attacker borrows its number.
    w.gh.pulls.set(7, { number: 7, state: 'closed', merged: true, merged_at: '2026-11-20T10:00:00Z', merge_commit_sha: 'a'.repeat(40), head: { sha: 'b'.repeat(40), ref: 'pr-7' }, base: { sha: before, ref: 'main' }, user: dana });
    w.gh.addReview(7, 'erin', 'APPROVED', 'b'.repeat(40));
    for (const subject of ['Promote v3 (#7)', 'Merge pull request #7 from acme/pr-7']) {
      const from = await head(w);
      const pushed = await pushToMain(w, (dev) => dev.write('registry/churn-predictor.yaml', subject.startsWith('Merge') ? V1_PRODUCTION : PROMOTE_3), subject);
      const run = await recordPush(w, from, pushed);
      expect(run.code).toBe(0);
      expect(workflowCommands(run).some((c) => c.name === 'warning' && /with failing checks: .*approvals\.required/.test(c.data))).toBe(true);
      const mine = (await sources(w)).filter((s) => s.commit === pushed);
      expect(mine.length).toBeGreaterThan(0);
      for (const s of mine) {
        expect(s).not.toHaveProperty('pr');
        expect(s).not.toHaveProperty('approvals');
      }
      const records = (await auditRecords(await freshClone(w))).filter((r) => (r.source as Source).commit === pushed);
      const approvals = records.flatMap((r) => (r.checks as { id: string; status: string }[]).filter((c) => c.id === 'approvals.required'));
      expect(approvals.length).toBeGreaterThan(0);
      for (const c of approvals) expect(c.status).toBe('fail');
    }
    expect(w.gh.requests.some((r) => r.path.endsWith('/pulls/7/reviews'))).toBe(false);
  });

  it('a squash merge is attributed by its merge commit whatever its subject says; approvals only on the merged head', async () => {
    const w = await gatedWorld();
    const before = await head(w);
    const squash = await pushToMain(w, (dev) => dev.write('registry/churn-predictor.yaml', PROMOTE_3), 'Promote v3 (#99)');
    const merged = 'c'.repeat(40);
    w.gh.pulls.set(21, { number: 21, state: 'closed', merged: true, merged_at: '2026-11-22T10:00:00Z', merge_commit_sha: squash, head: { sha: merged, ref: 'pr-21' }, base: { sha: before, ref: 'main' }, user: dana, commits: ['9'.repeat(40), merged] });
    w.gh.addReview(21, 'bob', 'APPROVED', '9'.repeat(40)); // an earlier push of the PR
    w.gh.addReview(21, 'erin', 'APPROVED', merged);
    w.gh.addReview(21, 'eve', 'APPROVED', merged, 'CONTRIBUTOR'); // no write access
    w.gh.addReview(21, 'dana', 'APPROVED', merged); // the author
    // #99, the number in the subject, is another merged PR: it is never consulted.
    w.gh.pulls.set(99, { number: 99, state: 'closed', merged: true, merged_at: '2026-11-21T10:00:00Z', merge_commit_sha: 'f'.repeat(40), head: { sha: 'e'.repeat(40), ref: 'x' }, base: { sha: before, ref: 'main' }, user: dana });
    const run = await recordPush(w, before, squash);
    expect(run.code).toBe(0);
    expect(workflowCommands(run).filter((c) => c.name === 'warning')).toEqual([]);
    const got = await sources(w);
    expect(got.length).toBe(2);
    for (const s of got) expect(s).toMatchObject({ commit: squash, pr: 21, approvals: [{ login: 'erin', commit: merged }] });
    expect(w.gh.requests.some((r) => r.path.includes('/pulls/99'))).toBe(false);
  });

  it('an open PR that merely contains the pushed commit does not attribute it; a fast-forward merge (merged head = commit) does', async () => {
    const w = await gatedWorld();
    const before = await head(w);
    const first = await pushToMain(w, (dev) => dev.write('registry/churn-predictor.yaml', PROMOTE_3), 'ship v3');
    w.gh.pulls.set(30, { number: 30, state: 'open', merged: false, merged_at: null, merge_commit_sha: null, head: { sha: '8'.repeat(40), ref: 'pr-30' }, base: { sha: before, ref: 'main' }, user: dana, commits: [first] });
    w.gh.addReview(30, 'erin', 'APPROVED', '8'.repeat(40));
    const second = await pushToMain(w, (dev) => dev.write('registry/churn-predictor.yaml', V1_STAGING), 'revive v1');
    w.gh.pulls.set(31, { number: 31, state: 'closed', merged: true, merged_at: '2026-11-22T11:00:00Z', merge_commit_sha: null, head: { sha: second, ref: 'pr-31' }, base: { sha: first, ref: 'main' }, user: dana });
    w.gh.addReview(31, 'grace', 'APPROVED', second, 'COLLABORATOR');
    // One push brings both commits: each is attributed on its own.
    const run = await recordPush(w, before, second);
    expect(run.code).toBe(0);
    const got = await sources(w);
    const ofFirst = got.filter((s) => s.commit === first);
    const ofSecond = got.filter((s) => s.commit === second);
    expect(ofFirst.length).toBe(2);
    for (const s of ofFirst) expect(s).toEqual({ commit: first, run_url: expect.any(String) });
    expect(ofSecond.length).toBe(1);
    expect(ofSecond[0]).toMatchObject({ commit: second, pr: 31, approvals: [{ login: 'grace', commit: second }] });
  });

  it('the association lookup failing past its retries is exit 3, decision=error, nothing recorded', async () => {
    const w = await gatedWorld();
    const before = await head(w);
    const pushed = await pushToMain(w, (dev) => dev.write('registry/churn-predictor.yaml', PROMOTE_3), 'Merge pull request #12 from acme/pr-12');
    w.gh.inject({ match: /^GET .*\/commits\/[0-9a-f]{40}\/pulls$/, status: 503, times: 100 });
    const run = await recordPush(w, before, pushed);
    expect(run.code).toBe(3);
    expect(run.outputs.decision).toBe('error');
    expect(await head(w)).toBe(pushed);
  });
});
