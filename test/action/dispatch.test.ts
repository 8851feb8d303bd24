/**
 * The Action on workflow_dispatch (promote, archive, rollback) with commit-mode git, end to end:
 * a shallow branch checkout made the way actions/checkout makes it, commits with trailers pushed
 * over authenticated HTTP to a real remote, and pushes rejected because the branch moved
 * (another dispatch landed first) re-judged on the new tip.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelgate } from '../helpers/cli';
import { dispatchPayload, makeWorld, workflowCommands, type ActionRun } from './harness';
import { POLICY } from '../helpers/registry';
import { act, auditRecords, checkoutMain, cleanup, dispatch, freshClone, remoteHead, trailers, world } from './scenario';

afterEach(cleanup);

describe('workflow_dispatch, commit-mode git', () => {
  it('promotes, then rolls back: commits with trailers pushed to the remote, the dispatcher as actor and approver', async () => {
    const w = await world();
    const promoted = await dispatch(w, { command: 'promote', model: 'churn-predictor', version: '3', to: 'Production', reason: 'beats the champion' });
    expect(promoted.stderr).toBe('');
    expect(promoted.code).toBe(0);
    expect(promoted.outputs.decision).toBe('allow');
    expect(promoted.outputs['commit-sha']).toBe(await remoteHead(w));

    const rolled = await dispatch(w, { command: 'rollback', model: 'churn-predictor', reason: 'p99 latency spike in eu-west' }, { actor: 'bob' });
    expect(rolled.code).toBe(0);
    expect(rolled.outputs.decision).toBe('allow');
    const head = await remoteHead(w);
    expect(rolled.outputs['commit-sha']).toBe(head);
    expect(await w.remoteGit(['log', '-1', '--format=%s', 'main'])).toMatch(/^modelgate: rollback churn-predictor v2 Archived -> Production/);
    expect(await w.remoteGit(['log', '-1', '--format=%b', 'main'])).toContain('p99 latency spike in eu-west');
    const t = await trailers(w);
    expect(t).toContain('Modelgate-Model: churn-predictor');
    expect(t).toContain('Modelgate-Version: 2');
    expect(t).toContain('Modelgate-Transition: Archived -> Production');
    expect(t.some((l) => /^Modelgate-Audit: sha256:[0-9a-f]{64}$/.test(l))).toBe(true);
    // Committed as the Actions bot (no identity configured on the runner).
    expect((await w.remoteGit(['log', '-1', '--format=%an <%ae>', 'main'])).trim()).toBe('github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>');

    const dir = await freshClone(w);
    const records = await auditRecords(dir);
    const rollback = records.find((r) => r.action === 'rollback')!;
    expect(rollback).toMatchObject({ actor: 'bob', version: 2, from: 'Archived', to: 'Production', reason: 'p99 latency spike in eu-west' });
    expect((rollback.source as { approvals: string[]; run_url: string }).approvals).toEqual(['bob']);
    expect((rollback.source as { run_url: string }).run_url).toBe('https://github.com/acme/models/actions/runs/4242');
    const verify = await modelgate(dir, ['audit', 'verify']);
    expect(verify.code).toBe(0);
  });

  it('promote with the alias input moves @champion in the same commit; rollback with alias=champion carries it back', async () => {
    const rule = POLICY.replace('retention:', '  "@champion":\n    from: [Production]\nretention:');
    const w = await world({}, { 'policies/churn.yaml': rule });
    const alone = await dispatch(w, { command: 'promote', model: 'churn-predictor', version: '3', to: 'Production', reason: 'ship' });
    expect(alone.code).toBe(1);
    expect(alone.outputs.decision).toBe('deny');
    expect(alone.summary).toMatch(/champion may only point at a version in Production/);

    const promoted = await dispatch(w, { command: 'promote', model: 'churn-predictor', version: '3', to: 'Production', alias: 'champion', reason: 'ship' });
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(await w.remoteGit(['log', '-1', '--format=%s', 'main'])).toMatch(/^modelgate: promote churn-predictor v3 Staging -> Production, @champion with it/);
    const rolled = await dispatch(w, { command: 'rollback', model: 'churn-predictor', alias: 'champion', reason: 'p99 spike' });
    expect(rolled.code, rolled.stderr).toBe(0);
    const manifest = await w.remoteGit(['show', 'main:registry/churn-predictor.yaml']);
    expect(manifest).toMatch(/champion: 2/);
    const records = await auditRecords(await freshClone(w));
    expect(records.slice(-3).map((r) => `${String(r.action)} v${String(r.version)} ${String(r.to)}`)).toEqual(['rollback v2 Production', 'rollback v2 @champion', 'archive v3 Archived']);
  });

  it('a denied decision pushes nothing: exit 1, decision=deny', async () => {
    const w = await world();
    const before = await remoteHead(w);
    const run = await dispatch(w, { command: 'promote', model: 'churn-predictor', version: '1', to: 'Production', reason: 'try' });
    expect(run.code).toBe(1);
    expect(run.outputs.decision).toBe('deny');
    expect(run.outputs['commit-sha']).toBeUndefined();
    expect(run.summary).toContain('transition.allowed');
    expect(await remoteHead(w)).toBe(before);
  });

  it('bad inputs are exit 2 with decision=error, before anything is fetched or written', async () => {
    const w = await world();
    const noReason = await dispatch(w, { command: 'rollback', model: 'churn-predictor' });
    expect(noReason.code).toBe(2);
    expect(noReason.outputs.decision).toBe('error');
    expect(workflowCommands(noReason).some((c) => c.name === 'error' && /needs a reason/.test(c.data))).toBe(true);
    const noCommand = await dispatch(w, { model: 'churn-predictor' });
    expect(noCommand.code).toBe(2);
    expect(workflowCommands(noCommand).some((c) => c.name === 'error' && /needs the 'command' input/.test(c.data))).toBe(true);
  });

  it('the push really authenticates: a token the remote refuses fails the step (exit 3), nothing allowed', async () => {
    const w = await world({ publicRepo: true }); // fetches work anonymously, pushes need the token
    const runner = await checkoutMain(w, 'ghs_revoked000000000000000000000000000');
    const before = await remoteHead(w);
    const run = await dispatch(w, { command: 'promote', model: 'churn-predictor', version: '3', to: 'Production', reason: 'ship' }, { runner });
    expect(run.code).toBe(3);
    expect(run.outputs.decision).toBe('error');
    expect(workflowCommands(run).some((c) => c.name === 'error' && /contents: write/.test(c.data))).toBe(true);
    expect(await remoteHead(w)).toBe(before);
  });

  it('two dispatches racing both land (the loser re-judges on the new tip) and the trail verifies', async () => {
    const w = await world();
    const [a, b] = [await checkoutMain(w), await checkoutMain(w)];
    const [ra, rb] = await Promise.all([
      dispatch(w, { command: 'promote', model: 'churn-predictor', version: '3', to: 'Production', reason: 'ship v3' }, { runner: a }),
      dispatch(w, { command: 'promote', model: 'churn-predictor', version: '3', to: '@challenger', reason: 'shadow v3' }, { runner: b, actor: 'bob' }),
    ]);
    expect([ra.code, rb.code]).toEqual([0, 0]);
    const log = (await w.remoteGit(['log', '--format=%H', 'main'])).trim().split('\n');
    expect(log).toContain(ra.outputs['commit-sha']);
    expect(log).toContain(rb.outputs['commit-sha']);
    const dir = await freshClone(w);
    const manifest = await readFile(join(dir, 'registry/churn-predictor.yaml'), 'utf8');
    expect(manifest).toMatch(/challenger: 3/);
    expect(manifest).toMatch(/version: 3\n\s+run: runs\/v3.json\s+# retrained on March data\n\s+stage: Production/);
    const verify = await modelgate(dir, ['audit', 'verify']);
    expect(verify.stdout + verify.stderr).not.toMatch(/✗/);
    expect(verify.code).toBe(0);
  });

  it('a push rejected because the branch moved is re-judged on the new tip and lands on top of it', async () => {
    const w = await world();
    const mine = await checkoutMain(w);
    const theirs = await checkoutMain(w);
    let other: ActionRun | undefined;
    // Between our fetch and our push, another dispatch lands first.
    w.onNextPush(async () => {
      other = await dispatch(w, { command: 'promote', model: 'churn-predictor', version: '3', to: '@challenger', reason: 'shadow v3' }, { runner: theirs, actor: 'bob' });
    });
    const run = await dispatch(w, { command: 'promote', model: 'churn-predictor', version: '3', to: 'Production', reason: 'ship v3' }, { runner: mine });
    expect(other?.code).toBe(0);
    expect(run.code).toBe(0);
    const head = await remoteHead(w);
    expect(run.outputs['commit-sha']).toBe(head);
    expect((await w.remoteGit(['rev-parse', `${head}^`])).trim()).toBe(other!.outputs['commit-sha']);
    const dir = await freshClone(w);
    const records = await auditRecords(dir);
    expect(records.map((r) => [r.seq, r.actor, r.to])).toEqual([
      [1, 'bob', '@challenger'],
      [2, 'alice', 'Production'],
      [3, 'alice', 'Archived'],
    ]);
    expect((await modelgate(dir, ['audit', 'verify'])).code).toBe(0);
  });

  it('the same rollback dispatched twice: the first lands, the second is re-judged and refuses with a reason', async () => {
    const w = await world();
    expect((await dispatch(w, { command: 'promote', model: 'churn-predictor', version: '3', to: 'Production', reason: 'ship' })).code).toBe(0);
    const [mine, theirs] = [await checkoutMain(w), await checkoutMain(w)];
    const inputs = { command: 'rollback', model: 'churn-predictor', version: '2', reason: 'incident 7' };
    let first: ActionRun | undefined;
    w.onNextPush(async () => {
      first = await dispatch(w, inputs, { runner: theirs, actor: 'bob' });
    });
    const second = await dispatch(w, inputs, { runner: mine });
    expect(first?.code).toBe(0);
    expect(second.code).toBe(2);
    expect(second.outputs.decision).toBe('error');
    expect(workflowCommands(second).some((c) => c.name === 'error' && /already in Production/.test(c.data))).toBe(true);
    expect(await remoteHead(w)).toBe(first!.outputs['commit-sha']);
    expect((await modelgate(await freshClone(w), ['audit', 'verify'])).code).toBe(0);
  });
});

describe('workflow_dispatch, approvals from a team', () => {
  it('an actor in the @org/team of approvals.from counts as the approval; one outside it is denied', async () => {
    const gated = POLICY.replace('  Production:\n    from: [Staging]\n', '  Production:\n    from: [Staging]\n    approvals: { required: 1, from: ["@acme/ml-leads"] }\n');
    expect(gated).not.toBe(POLICY);
    const w = await makeWorld({ 'policies/churn.yaml': gated }, {});
    try {
      w.gh.teams.set('acme/ml-leads', ['carol']);
      const inputs = { command: 'promote', model: 'churn-predictor', version: '3', to: 'Production', reason: 'ship' };
      const outsider = await dispatch(w, inputs, { actor: 'mallory' });
      expect(outsider.code).toBe(1);
      expect(outsider.outputs.decision).toBe('deny');
      const member = await dispatch(w, inputs, { actor: 'carol' });
      expect(member.stderr).toBe('');
      expect(member.code).toBe(0);
      expect(member.outputs.decision).toBe('allow');
      expect(w.gh.requests.some((r) => r.path === '/orgs/acme/teams/ml-leads/members')).toBe(true);
    } finally {
      await w.cleanup();
    }
  });
});

describe('workflow_dispatch only on the default branch', () => {
  const promote = { command: 'promote', model: 'churn-predictor', version: '3', to: 'Production', reason: 'ship' };

  it('a dispatch on another branch or a tag is refused with exit 2 naming the ref; nothing is pushed', async () => {
    const w = await world();
    const before = await remoteHead(w);
    const runner = await checkoutMain(w);
    for (const ref of ['refs/heads/feature/loose-policy', 'refs/tags/v1.0.0', 'refs/pull/3/merge']) {
      const run = await act(w, runner, { event: 'workflow_dispatch', payload: { ...dispatchPayload(promote), ref }, inputs: promote, actor: 'alice' });
      expect(run.code).toBe(2);
      expect(run.outputs.decision).toBe('error');
      expect(workflowCommands(run).some((c) => c.name === 'error' && c.data.includes(`this run is on '${ref}'`) && /only on the default branch \(refs\/heads\/main\)/.test(c.data))).toBe(true);
      expect(run.summary).toMatch(/could not judge/);
    }
    // Every decision command, not only promote.
    for (const inputs of <Record<string, string>[]>[{ command: 'archive', model: 'churn-predictor', version: '1', reason: 'x' }, { command: 'rollback', model: 'churn-predictor', reason: 'x' }, { command: 'register', model: 'churn-predictor', to: 'runs/v3.json' }]) {
      const run = await act(w, runner, { event: 'workflow_dispatch', payload: { ...dispatchPayload(inputs), ref: 'refs/heads/dev' }, inputs, actor: 'alice' });
      expect(run.code).toBe(2);
    }
    // A payload that does not name the default branch cannot be checked: refused too.
    const unknown = await act(w, runner, { event: 'workflow_dispatch', payload: { ...dispatchPayload(promote), repository: { full_name: 'acme/models' } }, inputs: promote, actor: 'alice' });
    expect(unknown.code).toBe(2);
    expect(workflowCommands(unknown).some((c) => c.name === 'error' && /no repository\.default_branch/.test(c.data))).toBe(true);
    expect(await remoteHead(w)).toBe(before);
  });

  it('allow-any-ref: true lets a dispatch on another ref decide; the default branch needs nothing', async () => {
    const w = await world();
    const runner = await checkoutMain(w);
    const inputs = { ...promote, 'allow-any-ref': 'true' };
    const run = await act(w, runner, { event: 'workflow_dispatch', payload: { ...dispatchPayload(inputs), ref: 'refs/heads/hotfix' }, inputs, actor: 'alice' });
    expect(run.code).toBe(0);
    expect(run.outputs.decision).toBe('allow');
    expect(run.outputs['commit-sha']).toBe(await remoteHead(w));
    const bad = await act(w, runner, { event: 'workflow_dispatch', payload: dispatchPayload(promote), inputs: { ...promote, 'allow-any-ref': 'maybe' }, actor: 'alice' });
    expect(bad.code).toBe(2);
    expect(workflowCommands(bad).some((c) => c.name === 'error' && /allow-any-ref/.test(c.data))).toBe(true);
  });
});
