/**
 * The Action on pull_request, end to end as the runner runs it: a shallow checkout of GitHub's
 * merge commit (the base commit is missing and fetched over authenticated HTTP), reviews and
 * team members from the fake GitHub API, the report in the job summary, one sticky comment,
 * annotations on manifest lines, outputs, exit codes, and the token never shown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { MANIFEST, POLICY, runRecord } from '../helpers/registry';
import { gitIn } from '../helpers/git';
import { COMMENT_MARKER } from '../../src/github/comment';
import {
  actionsCheckout,
  expectTokenHidden,
  makeWorld,
  pullRequestPayload,
  pushPullRequest,
  pushToMain,
  READ_ONLY_TOKEN,
  reviewPayload,
  runAction,
  TOKEN,
  workflowCommands,
  type ActionRun,
  type PullRequestRefs,
  type Runner,
  type World,
} from './harness';

/** Production needs one approval from the ml-leads team (resolved through the teams API). */
const GATED_POLICY = POLICY.replace('  Production:\n    from: [Staging]\n', '  Production:\n    from: [Staging]\n    approvals: { required: 1, from: ["@acme/ml-leads"] }\n');

/** v3 Staging -> Production (v2 leaves Production for Archived). */
const PROMOTE_3 = MANIFEST.replace('stage: Production     # current champion', 'stage: Archived').replace('stage: Staging', 'stage: Production');

let world: World;
const runners: Runner[] = [];

beforeAll(async () => {
  world = await makeWorld({ 'policies/churn.yaml': GATED_POLICY }, { publicRepo: true });
  world.gh.teams.set('acme/ml-leads', ['erin', 'grace', 'heidi']);
});

afterAll(async () => {
  await Promise.all(runners.map((r) => r.cleanup()));
  await world.cleanup();
});

function tokenHidden(run: ActionRun, token = TOKEN): void {
  expectTokenHidden(run, token, (ok, what) => expect(ok, what).toBe(true));
}

async function gate(
  pr: PullRequestRefs,
  o: { token?: string; fork?: boolean; inputs?: Record<string, string>; author?: string; reviewedBy?: string; env?: Record<string, string> } = {},
): Promise<ActionRun> {
  const runner = await actionsCheckout(world, { pr: pr.number, sha: pr.merge }, o.token ? { token: o.token } : {});
  runners.push(runner);
  // The default checkout is shallow: the base commit is not there until the Action fetches it.
  const missing = await gitIn(runner.workspace, ['cat-file', '-e', `${pr.base}^{commit}`]).then(
    () => false,
    () => true,
  );
  expect(missing, 'the checkout should lack the base commit').toBe(true);
  const run = await runAction(world, runner, {
    // An approval re-runs the gate through pull_request_review, with the same checkout.
    event: o.reviewedBy ? 'pull_request_review' : 'pull_request',
    payload: o.reviewedBy
      ? reviewPayload(pr, o.reviewedBy, o.author ? { author: o.author } : {})
      : pullRequestPayload(pr, { ...(o.fork ? { fork: true } : {}), ...(o.author ? { author: o.author } : {}) }),
    ...(o.inputs ? { inputs: o.inputs } : {}),
    ...(o.token ? { token: o.token } : {}),
    ...(o.env ? { env: o.env } : {}),
  });
  tokenHidden(run, o.token ?? TOKEN);
  return run;
}

const comments = (n: number) => world.gh.comments.get(n) ?? [];
const botComments = (n: number) => comments(n).filter((c) => c.user.login === 'github-actions[bot]' && c.body.includes(COMMENT_MARKER));

describe('pull_request', () => {
  it('allows an approved promotion: summary, report file, one comment, outputs, exit 0', async () => {
    const pr = await pushPullRequest(world, 11, (dev) => dev.write('registry/churn-predictor.yaml', PROMOTE_3));
    world.gh.addReview(11, 'erin', 'APPROVED', pr.head);
    const run = await gate(pr);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs.decision).toBe('allow');
    expect(existsSync(run.outputs['report-path']!)).toBe(true);
    const report = readFileSync(run.outputs['report-path']!, 'utf8');
    expect(report).toContain('churn-predictor');
    expect(run.summary).toContain('churn-predictor');
    expect(run.summary).toContain('approvals.required');
    expect(workflowCommands(run).filter((c) => c.name === 'error')).toEqual([]);
    const mine = botComments(11);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.body).toContain('churn-predictor');
    // erin counted through the team: the teams API was asked.
    expect(world.gh.requests.some((r) => r.path === '/orgs/acme/teams/ml-leads/members')).toBe(true);
  });

  it('denies a version below the threshold: exit 1, decision=deny, an annotation on its stage line', async () => {
    const manifest = MANIFEST.replace(
      'aliases:',
      ['  - version: 4', '    run: runs/v4.json  # a weak retrain', '    stage: Staging', 'aliases:'].join('\n'),
    );
    const pr = await pushPullRequest(world, 12, async (dev) => {
      await dev.write('runs/v4.json', runRecord('run-v4', { val_auc: 0.79, latency_p99_ms: 8 }));
      await dev.write('registry/churn-predictor.yaml', manifest);
    });
    const run = await gate(pr);
    expect(run.code).toBe(1);
    expect(run.outputs.decision).toBe('deny');
    const errors = workflowCommands(run).filter((c) => c.name === 'error' && c.props.file);
    expect(errors).toHaveLength(1);
    // The line of v4's `stage:` in the head manifest.
    const expected = manifest.split('\n').findIndex((l, i, all) => l.trim() === 'stage: Staging' && all[i - 2]?.includes('version: 4')) + 1;
    expect(expected).toBeGreaterThan(0);
    expect(run.lines).toContain(run.lines.find((l) => l.startsWith(`::error file=registry/churn-predictor.yaml,line=${expected}::`)));
    expect(errors[0]!.props).toEqual({ file: 'registry/churn-predictor.yaml', line: String(expected) });
    expect(errors[0]!.data).toContain('metric:val_auc.min');
    // The step fails with the policy's verdict; the report still reached the summary and PR.
    expect(workflowCommands(run).some((c) => c.name === 'error' && /denied/.test(c.data) && !c.props.file)).toBe(true);
    expect(run.summary).toContain('val\\_auc');
    expect(botComments(12)).toHaveLength(1);
  });

  it('a second run updates the same comment, across pages, ignoring a look-alike by someone else', async () => {
    const pr1 = await pushPullRequest(world, 13, (dev) => dev.write('registry/churn-predictor.yaml', PROMOTE_3));
    world.gh.addComment(13, 'mallory', `${COMMENT_MARKER}\nfake verdict: allowed`);
    for (let i = 0; i < 5; i++) world.gh.addComment(13, 'someone', `discussion ${i}`);
    const first = await gate(pr1);
    expect(first.outputs.decision).toBe('deny'); // no approval yet
    expect(botComments(13)).toHaveLength(1);
    const id = botComments(13)[0]!.id;
    expect(botComments(13)[0]!.body).toMatch(/0 of 1 required approvals/);

    // The author pushes again; a team member approves the new head.
    const pr2 = await pushPullRequest(world, 13, (dev) => dev.write('NOTES.md', 'why v3\n'), 'explain');
    world.gh.addReview(13, 'grace', 'APPROVED', pr2.head);
    const second = await gate(pr2);
    expect(second.code).toBe(0);
    expect(second.outputs.decision).toBe('allow');
    const mine = botComments(13);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.id).toBe(id);
    expect(mine[0]!.body).not.toMatch(/0 of 1 required approvals/);
    expect(comments(13).find((c) => c.user.login === 'mallory')!.body).toContain('fake verdict');
  });

  it('missing approvals: a stale approval (older push) and the author’s own do not count', async () => {
    const first = await pushPullRequest(world, 14, (dev) => dev.write('registry/churn-predictor.yaml', PROMOTE_3));
    world.gh.addReview(14, 'erin', 'APPROVED', first.head); // then a new push:
    const pr = await pushPullRequest(world, 14, (dev) => dev.write('NOTES.md', 'more\n'), 'more');
    world.gh.addReview(14, 'heidi', 'APPROVED', pr.head); // heidi is the author
    world.gh.addReview(14, 'grace', 'APPROVED', pr.head);
    world.gh.addReview(14, 'grace', 'CHANGES_REQUESTED', pr.head); // grace changed her mind
    const run = await gate(pr, { author: 'heidi' });
    expect(run.code).toBe(1);
    expect(run.outputs.decision).toBe('deny');
    expect(run.summary).toMatch(/approvals\.required/);
    expect(run.summary).toMatch(/0 of 1 required approvals/);
    const errors = workflowCommands(run).filter((c) => c.name === 'error' && c.props.file);
    expect(errors.map((e) => e.data).join('\n')).toContain('approvals.required');
  });

  it('team approval: a reviewer outside @acme/ml-leads does not count, a member does (re-run by the review event)', async () => {
    const pr = await pushPullRequest(world, 15, (dev) => dev.write('registry/churn-predictor.yaml', PROMOTE_3));
    world.gh.addReview(15, 'frank', 'APPROVED', pr.head);
    const denied = await gate(pr, { reviewedBy: 'frank' });
    expect(denied.outputs.decision).toBe('deny');
    expect(denied.summary).toMatch(/frank approved but is not in approvals\.from/);
    world.gh.addReview(15, 'heidi', 'APPROVED', pr.head);
    const allowed = await gate(pr, { reviewedBy: 'heidi' });
    expect(allowed.code).toBe(0);
    expect(allowed.outputs.decision).toBe('allow');
    expect(allowed.summary).toMatch(/heidi/);
  });

  it('a reviewer listed in approvals.from (through the team) without write access does not count', async () => {
    const pr = await pushPullRequest(world, 25, (dev) => dev.write('registry/churn-predictor.yaml', PROMOTE_3));
    world.gh.addReview(25, 'grace', 'APPROVED', pr.head, 'CONTRIBUTOR');
    const run = await gate(pr, { inputs: { comment: 'false' } });
    expect(run.code).toBe(1);
    expect(run.outputs.decision).toBe('deny');
    expect(run.summary).toMatch(/0 of 1 required approvals/);
    expect(run.summary).toMatch(/grace \(CONTRIBUTOR\) approved without write access/);
  });

  it('a fork’s read-only token: no comment, a warning, the summary and annotations, no crash', async () => {
    const manifest = MANIFEST.replace('aliases:', ['  - version: 4', '    run: runs/v4.json', '    stage: Staging', 'aliases:'].join('\n'));
    const pr = await pushPullRequest(world, 16, async (dev) => {
      await dev.write('runs/v4.json', runRecord('run-v4', { val_auc: 0.5, latency_p99_ms: 8 }));
      await dev.write('registry/churn-predictor.yaml', manifest);
    });
    const run = await gate(pr, { token: READ_ONLY_TOKEN, fork: true });
    expect(run.code).toBe(1); // the verdict, not a crash
    expect(run.outputs.decision).toBe('deny');
    expect(comments(16)).toEqual([]);
    expect(workflowCommands(run).some((c) => c.name === 'warning' && /could not comment/.test(c.data))).toBe(true);
    expect(run.summary).toContain('metric:val\\_auc.min');
    expect(workflowCommands(run).some((c) => c.name === 'error' && c.props.file === 'registry/churn-predictor.yaml')).toBe(true);
    expect(run.stdout).not.toMatch(/internal error/);
  });

  it('an allowed fork PR stays green without its comment', async () => {
    const pr = await pushPullRequest(world, 17, (dev) => dev.write('registry/churn-predictor.yaml', PROMOTE_3));
    world.gh.addReview(17, 'erin', 'APPROVED', pr.head);
    const run = await gate(pr, { token: READ_ONLY_TOKEN, fork: true });
    expect(run.code).toBe(0);
    expect(run.outputs.decision).toBe('allow');
    expect(workflowCommands(run).some((c) => c.name === 'warning' && /could not comment/.test(c.data))).toBe(true);
  });

  it('the GitHub API failing with 5xx is retried, then exit 3 and decision=error (fail closed)', async () => {
    const pr = await pushPullRequest(world, 18, (dev) => dev.write('registry/churn-predictor.yaml', PROMOTE_3));
    world.gh.addReview(18, 'erin', 'APPROVED', pr.head);
    const before = world.gh.requests.filter((r) => r.path.endsWith('/pulls/18/reviews')).length;
    world.gh.inject({ match: /^GET .*\/pulls\/18\/reviews/, status: 503, times: 100 });
    const run = await gate(pr);
    expect(run.code).toBe(3);
    expect(run.outputs.decision).toBe('error');
    const tries = world.gh.requests.filter((r) => r.path.endsWith('/pulls/18/reviews')).length - before;
    expect(tries).toBeGreaterThan(1);
    expect(workflowCommands(run).some((c) => c.name === 'error' && /failed after \d+ attempts/.test(c.data))).toBe(true);
    expect(run.summary).toMatch(/could not judge/);
    expect(botComments(18)).toEqual([]);
  });

  it('the teams API failing during the approval lookup is exit 3 and decision=error, not "not approved"', async () => {
    const pr = await pushPullRequest(world, 23, (dev) => dev.write('registry/churn-predictor.yaml', PROMOTE_3));
    world.gh.addReview(23, 'erin', 'APPROVED', pr.head);
    world.gh.inject({ match: /^GET \/orgs\/acme\/teams\/ml-leads\/members/, status: 503, times: 4 }); // every attempt of one lookup
    const run = await gate(pr, { env: { MODELGATE_RETRY_BASE_MS: '1' } });
    expect(run.code).toBe(3);
    expect(run.outputs.decision).toBe('error');
    expect(botComments(23)).toEqual([]);
  });

  it('a GitHub API that stops answering times out, then exit 3 and decision=error, not a hung job', async () => {
    const pr = await pushPullRequest(world, 24, (dev) => dev.write('registry/churn-predictor.yaml', PROMOTE_3));
    world.gh.addReview(24, 'erin', 'APPROVED', pr.head);
    world.gh.inject({ match: /^GET .*\/pulls\/24\/reviews/, status: 0, hang: true, times: 100 });
    const started = Date.now();
    const run = await gate(pr, { env: { MODELGATE_GITHUB_TIMEOUT_MS: '500', MODELGATE_RETRY_BASE_MS: '10' } });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(run.code).toBe(3);
    expect(run.outputs.decision).toBe('error');
    expect(workflowCommands(run).some((c) => c.name === 'error' && /no answer within 0.5 s/.test(c.data))).toBe(true);
    expect(botComments(24)).toEqual([]);
  });

  it('comment: false writes no comment; fail-on-deny: false keeps a denied step green', async () => {
    const pr = await pushPullRequest(world, 19, (dev) => dev.write('registry/churn-predictor.yaml', PROMOTE_3));
    const run = await gate(pr, { inputs: { comment: 'false', 'fail-on-deny': 'false' } });
    expect(run.code).toBe(0);
    expect(run.outputs.decision).toBe('deny');
    expect(comments(19)).toEqual([]);
  });

  it('a PR that changes no model passes without a new comment', async () => {
    const pr = await pushPullRequest(world, 22, (dev) => dev.write('docs/notes.md', 'training notes\n'));
    const run = await gate(pr);
    expect(run.code).toBe(0);
    expect(run.outputs.decision).toBe('allow');
    expect(comments(22)).toEqual([]);
    expect(run.summary).toContain('modelgate');
  });

  it('user text cannot form workflow commands: hostile run references reach logs and annotations inert', async () => {
    const hostile = 'runs/x\r::error file=evil.py,line=1::pwned %0A::warning::pwned ##[error]pwned.json';
    const manifest = MANIFEST.replace(
      'aliases:',
      ['  - version: 4', `    run: ${JSON.stringify(hostile)}`, '    stage: Staging', 'aliases:'].join('\n'),
    );
    const pr = await pushPullRequest(world, 20, (dev) => dev.write('registry/churn-predictor.yaml', manifest));
    const run = await gate(pr);
    expect(run.outputs.decision).toBe('deny');
    const commands = workflowCommands(run);
    // Only modelgate's own commands, and none that the hostile text made.
    expect(commands.filter((c) => c.props.file === 'evil.py')).toEqual([]);
    expect(commands.filter((c) => c.name === 'warning' && c.data.startsWith('pwned'))).toEqual([]);
    for (const c of commands) expect(['add-mask', 'error', 'warning']).toContain(c.name);
    // The legacy `##[cmd]` form, which the runner obeys anywhere in a line, never appears raw.
    expect(run.lines.filter((l) => l.includes('##['))).toEqual([]);
    // The annotation carries the text escaped, on v4's line.
    const ann = commands.filter((c) => c.name === 'error' && c.props.file === 'registry/churn-predictor.yaml');
    expect(ann).toHaveLength(1);
  });
});

describe('pull_request: neutral markdown', () => {
  it('a model named www.evil.example with a run at an https:// look-alike path: no autolink, no raw ##[ in summary or comment', async () => {
    const manifest = 'apiVersion: modelgate/v1\nkind: Model\nname: www.evil.example\nversions:\n  - version: 1\n    run: "runs/https://evil.example/##[error]x.json"\n    stage: Staging\n';
    const pr = await pushPullRequest(world, 26, (dev) => dev.write('registry/www.evil.example.yaml', manifest));
    const run = await gate(pr);
    expect(run.outputs.decision).toBe('deny');
    const body = botComments(26)[0]!.body;
    for (const text of [run.summary, body]) {
      const prose = text.replace(/^```mermaid\n[\s\S]*?^```$/gm, '');
      expect(prose).toContain('evil.example');
      expect(prose).not.toMatch(/www\./i);
      expect(prose).not.toContain('://');
      expect(text).not.toContain('##[');
    }
    expect(run.lines.filter((l) => l.includes('##['))).toEqual([]);
  });
});

describe('pull_request with registry files behind links (SPEC section 1)', () => {
  it('a PR that turns the manifest into a symlink (target inside the repository) is exit 2 naming it, decision=error', async () => {
    const { mkdir, rename, symlink } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const pr = await pushPullRequest(world, 41, async (dev) => {
      await mkdir(join(dev.dir, 'store'), { recursive: true });
      await dev.write('registry/churn-predictor.yaml', PROMOTE_3);
      await rename(join(dev.dir, 'registry/churn-predictor.yaml'), join(dev.dir, 'store/churn-predictor.yaml'));
      await symlink('../store/churn-predictor.yaml', join(dev.dir, 'registry/churn-predictor.yaml'));
    });
    world.gh.addReview(41, 'erin', 'APPROVED', pr.head);
    const run = await gate(pr);
    expect(run.code, run.stderr + run.stdout).toBe(2);
    expect(run.outputs.decision).not.toBe('allow');
    expect(run.stdout + run.stderr).toMatch(/registry\/churn-predictor\.yaml is a symlink at commit/);
  });
});

describe('pull_request when the gate runs out of memory', () => {
  it('exit 3, decision=error, one line and no V8 report (MODELGATE_MAX_HEAP_MB=4, too small for the step)', async () => {
    const pr = await pushPullRequest(world, 42, (dev) => dev.write('registry/churn-predictor.yaml', PROMOTE_3));
    const run = await gate(pr, { env: { MODELGATE_MAX_HEAP_MB: '4' } });
    expect(run.code, run.stderr + run.stdout).toBe(3);
    expect(run.outputs.decision).toBe('error');
    expect(run.stdout + run.stderr).toMatch(/modelgate ran out of memory: nothing was allowed/);
    expect(run.stdout + run.stderr).not.toMatch(/FATAL ERROR|Last few GCs|node::/);
  });
});

describe('pull_request against a base that moved', () => {
  it('judges the merge against its own first parent, not a stale base.sha (others’ changes are not this PR’s)', async () => {
    // Last in the file: it changes main for good.
    const staleBase = (await world.remoteGit(['rev-parse', 'main'])).trim();
    const withV4 = MANIFEST.replace('aliases:', ['  - version: 4', '    run: runs/v4.json', '    stage: Staging', 'aliases:'].join('\n'));
    await pushPullRequest(world, 21, (dev) => dev.write('registry/churn-predictor.yaml', PROMOTE_3));
    // Someone else lands a (bad, bypassing) change on main; GitHub rebuilds the test merge on it.
    await pushToMain(
      world,
      async (dev) => {
        await dev.write('runs/v4.json', runRecord('run-v4', { val_auc: 0.5, latency_p99_ms: 8 }));
        await dev.write('registry/churn-predictor.yaml', withV4);
      },
      'add v4 directly',
    );
    const rebuilt = await pushPullRequest(world, 21, async (dev) => {
      await dev.git(['merge', '-q', '--no-edit', '-X', 'theirs', 'origin/main']);
      await dev.write('registry/churn-predictor.yaml', PROMOTE_3.replace('aliases:', ['  - version: 4', '    run: runs/v4.json', '    stage: Staging', 'aliases:'].join('\n')));
    }, 'catch up with main');
    world.gh.addReview(21, 'erin', 'APPROVED', rebuilt.head);
    expect(rebuilt.base).not.toBe(staleBase);
    const run = await gate({ ...rebuilt, base: staleBase }); // the payload still names the old base
    expect(run.code).toBe(0);
    expect(run.outputs.decision).toBe('allow');
    expect(run.stdout).toContain('the base commit of the checked-out merge');
    expect(run.summary).not.toMatch(/v4/);
  });
});
