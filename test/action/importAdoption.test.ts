/**
 * The Action on a pull request that adds an imported MLflow model (`import mlflow` run on a
 * branch): judged like any new model by the base policies. Under the default graph a version
 * imported into Production is denied whatever the approvals; under a reviewed adoption policy
 * (stages enterable from None, with approvals) it is denied until a team member approves the
 * PR's head, then allowed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { POLICY } from '../helpers/registry';
import { modelgate } from '../helpers/cli';
import { startMlflowServer, type MlflowStandIn, type StandInVersion } from '../helpers/mlflowServer';
import { actionsCheckout, expectTokenHidden, makeWorld, pullRequestPayload, pushPullRequest, runAction, TOKEN, type ActionRun, type PullRequestRefs, type Runner, type World } from './harness';

const NAME = 'churn-classifier';
const STRICT_CHURN = POLICY.replace('models: ["churn-*"]', 'models: ["churn-predictor"]');
const DEFAULT_GRAPH = `apiVersion: modelgate/v1\nkind: Policy\nname: classifier\nmodels: ["churn-classifier"]\nrules:\n  Production:\n    approvals: { required: 1, from: ["@acme/ml-leads"] }\n`;
const ADOPTION = `apiVersion: modelgate/v1
kind: Policy
name: classifier
models: ["churn-classifier"]
rules:
  Production:
    from: [None, Staging]
    approvals: { required: 1, from: ["@acme/ml-leads"] }
  Archived:
    from: [None, Staging, Production]
`;

let server: MlflowStandIn;
const runners: Runner[] = [];
const worlds: World[] = [];

beforeAll(async () => {
  server = await startMlflowServer({ lifetimeMs: 120_000 });
  const m = server.models.get(NAME)!;
  const [v1, v2] = m.versions as [StandInVersion, StandInVersion];
  v1.current_stage = 'Archived';
  v2.current_stage = 'Production';
  m.aliases = new Map([['champion', '2']]);
});
afterAll(() => server.stop());
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.cleanup()));
  await Promise.all(worlds.splice(0).map((w) => w.cleanup()));
});

async function world(policy: string): Promise<World> {
  const w = await makeWorld({ 'policies/churn.yaml': STRICT_CHURN, 'policies/classifier.yaml': policy }, { publicRepo: true });
  w.gh.teams.set('acme/ml-leads', ['erin', 'grace']);
  worlds.push(w);
  return w;
}

/** A PR whose change is what `import mlflow` writes on the author's branch. */
async function importPullRequest(w: World, number: number): Promise<PullRequestRefs> {
  return pushPullRequest(
    w,
    number,
    async (dev) => {
      const r = await modelgate(dev.dir, ['import', 'mlflow', NAME], { MLFLOW_TRACKING_URI: server.url });
      expect(r.code, r.stderr).toBe(0);
    },
    `modelgate: import ${NAME} from MLflow`,
  );
}

async function gate(w: World, pr: PullRequestRefs): Promise<ActionRun> {
  const runner = await actionsCheckout(w, { pr: pr.number, sha: pr.merge });
  runners.push(runner);
  const run = await runAction(w, runner, { event: 'pull_request', payload: pullRequestPayload(pr, { author: 'dave' }) });
  expectTokenHidden(run, TOKEN, (ok, what) => expect(ok, what).toBe(true));
  return run;
}

describe('pull_request adding an imported manifest', () => {
  it('under the default graph: v2 imported into Production is denied, approved or not', async () => {
    const w = await world(DEFAULT_GRAPH);
    const pr = await importPullRequest(w, 31);
    w.gh.addReview(31, 'erin', 'APPROVED', pr.head);
    const run = await gate(w, pr);
    expect(run.code).toBe(1);
    expect(run.outputs.decision).toBe('deny');
    expect(run.summary).toMatch(/v2: new → Production — denied[\s\S]*None → Production skips Staging/);
  });

  it('under an adoption policy: denied until a team member approves, then allowed', async () => {
    const w = await world(ADOPTION);
    const pr = await importPullRequest(w, 32);
    const first = await gate(w, pr);
    expect(first.code).toBe(1);
    expect(first.outputs.decision).toBe('deny');
    expect(first.summary).toContain('approvals.required');
    w.gh.addReview(32, 'grace', 'APPROVED', pr.head);
    const second = await gate(w, pr);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.outputs.decision).toBe('allow');
  });
});
