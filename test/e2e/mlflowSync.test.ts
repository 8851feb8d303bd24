/**
 * `sync mlflow` end to end through the CLI (`node dist/cli.js`) against the MLflow stand-in:
 * versions created from their snapshots (or adopted when the snapshot came from the registry),
 * tags, aliases exactly as git says, a second sync that writes nothing, drift listed by
 * --dry-run, a server failing mid-way (exit 3 naming what is done, a re-run completing it),
 * and the environment's faults (no URI: exit 2; refused or unreachable: exit 3).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelgate, type RunResult } from '../helpers/cli';
import { makeRegistry } from '../helpers/registry';
import { startMlflowServer, type MlflowStandIn } from '../helpers/mlflowServer';

type Repo = Awaited<ReturnType<typeof makeRegistry>>;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const CHILD = '3c230151bf964df78cdeb657d6ddc136'; // logged model m-a10…, registry version 1
const MODEL = 'churn-classifier';
const PASSWORD = 'pw-sync-4e1d-secret';
const AUTH = { username: 'ci-bot', password: PASSWORD };

interface Setup {
  repo: Repo;
  server: MlflowStandIn;
  env: Record<string, string>;
}

/**
 * The registry repo with churn-classifier: v1 snapshotted from runs:/<CHILD> (MLflow has no
 * version tagged for it: created), v2 from models:/churn-classifier/2 (adopted), v1 in
 * Production with @champion, committed with their register records.
 */
async function setup(): Promise<Setup> {
  const repo = await makeRegistry();
  const server = await startMlflowServer({ lifetimeMs: 90_000, auth: AUTH });
  cleanups.push(() => repo.cleanup(), () => server.stop());
  const env = { MLFLOW_TRACKING_URI: server.url, MLFLOW_TRACKING_USERNAME: AUTH.username, MLFLOW_TRACKING_PASSWORD: PASSWORD, MODELGATE_MLFLOW_BACKOFF_MS: '1', MODELGATE_MLFLOW_ATTEMPTS: '2' };
  adopt(server, MODEL);
  for (const run of [`runs:/${CHILD}`, `models:/${MODEL}/2`]) {
    const r = await modelgate(repo.dir, ['register', MODEL, '--run', run, '--commit', '--actor', 'alice'], env);
    expect(r.code, r.stderr).toBe(0);
  }
  await editManifest(repo, (t) => t.replace(/(- version: 1\n(?:.*\n)*?\s+stage: )None/, '$1Production') + 'aliases:\n  champion: 1\n');
  await repo.commitAll('v1 to Production, @champion');
  return { repo, server, env };
}

/**
 * The seeded churn-classifier existed before modelgate: sync writes to it only once it is
 * adopted. This tag stands for that adoption (what `import mlflow --commit`, or the owner by
 * hand in MLflow, sets); the adoption itself is tested in 'ownership' below.
 */
function adopt(server: MlflowStandIn, name: string, owner: string = name): void {
  server.models.get(name)!.tags.push({ key: 'modelgate.model', value: owner });
}

async function editManifest(repo: Repo, edit: (text: string) => string): Promise<void> {
  const path = join(repo.dir, `registry/${MODEL}.yaml`);
  await writeFile(path, edit(await readFile(path, 'utf8')));
}

const sync = (s: Setup, args: string[] = [], env: Record<string, string> = s.env) => modelgate(s.repo.dir, ['sync', 'mlflow', ...args], env);

function tagsOf(s: Setup, mlflowVersion: string): Record<string, string> {
  const v = s.server.models.get(MODEL)!.versions.find((x) => x.version === mlflowVersion)!;
  return Object.fromEntries(v.tags.map((t) => [t.key, t.value]));
}

async function auditHashes(repo: Repo): Promise<Map<number, string>> {
  const lines = (await readFile(join(repo.dir, `audit/${MODEL}.jsonl`), 'utf8')).trim().split('\n');
  const out = new Map<number, string>();
  for (const l of lines) {
    const r = JSON.parse(l) as { version: number; hash: string };
    out.set(r.version, r.hash);
  }
  return out;
}

function noSecrets(r: RunResult): void {
  const basic = Buffer.from(`${AUTH.username}:${PASSWORD}`).toString('base64');
  for (const x of [PASSWORD, basic]) expect(r.stdout + r.stderr).not.toContain(x);
}

describe('sync mlflow', () => {
  it('creates what MLflow lacks, adopts what the snapshot came from, tags every version, sets aliases as git says; a second sync writes nothing', async () => {
    const s = await setup();
    const r = await sync(s, [MODEL]);
    expect(r.code, r.stderr).toBe(0);
    noSecrets(r);
    const m = s.server.models.get(MODEL)!;
    // v1 came from a run: a new MLflow version from its logged model; v2 came from registry version 2: adopted.
    const created = m.versions.find((v) => v.version === '3')!;
    expect(created).toMatchObject({ source: 'models:/m-a1032d507ff04e4e8623a178004f7a80', run_id: CHILD, current_stage: 'None' });
    const heads = await auditHashes(s.repo);
    expect(tagsOf(s, '3')).toMatchObject({ 'modelgate.version': '1', 'modelgate.stage': 'Production', 'modelgate.audit': heads.get(1) });
    expect(tagsOf(s, '2')).toMatchObject({ 'modelgate.version': '2', 'modelgate.stage': 'None', 'modelgate.audit': heads.get(2), validation_status: 'pending' });
    expect(m.versions.map((v) => v.version)).toEqual(['1', '2', '3']); // nothing registered twice
    // Aliases exactly as git: champion on v1 (MLflow 3); challenger (not in git) deleted.
    expect(Object.fromEntries(m.aliases)).toEqual({ champion: '3' });
    expect(r.stdout).toMatch(/done\s+create the MLflow version of churn-classifier v1 from models:\/m-a1032d507ff04e4e8623a178004f7a80/);
    expect(r.stdout).toMatch(/done\s+delete alias @challenger/);
    expect(r.stdout).toMatch(/synced: \d+ writes; MLflow matches git/);

    const writes = s.server.writes().length;
    expect(writes).toBeGreaterThan(0);
    const before = s.server.requests.length;
    const again = await sync(s, [MODEL]);
    expect(again.code, again.stderr).toBe(0);
    expect(s.server.writes()).toHaveLength(writes);
    // Two reads per model, whatever its history: the registered model and its versions.
    expect(s.server.requests.slice(before).map((q) => q.line.split('?')[0])).toEqual(['GET /api/2.0/mlflow/registered-models/get', 'GET /api/2.0/mlflow/model-versions/search']);
    expect(again.stdout).toContain('MLflow already matches git: nothing written');
    const dry = await sync(s, [MODEL, '--dry-run']);
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(s.server.writes()).toHaveLength(writes);
  });

  it('--dry-run lists drift made by hand (alias moved, alias added, tag changed, version deleted) and exits 1, writing nothing; sync repairs it', async () => {
    const s = await setup();
    expect((await sync(s, [MODEL])).code).toBe(0);
    const m = s.server.models.get(MODEL)!;
    m.aliases.set('champion', '1'); // moved outside git
    m.aliases.set('hotfix', '2'); // added outside git
    m.versions.find((v) => v.version === '2')!.tags.find((t) => t.key === 'modelgate.stage')!.value = 'Production';
    m.versions.splice(m.versions.findIndex((v) => v.version === '3'), 1); // v1's version deleted
    const writes = s.server.writes().length;

    const dry = await sync(s, [MODEL, '--dry-run', '--format', 'json']);
    expect(dry.code, dry.stderr).toBe(1);
    expect(s.server.writes()).toHaveLength(writes);
    const out = JSON.parse(dry.stdout) as { schemaVersion: number; dryRun: boolean; inSync: boolean; summary: { differences: number }; models: { actions: { kind: string; status: string; description: string; alias?: string; version?: number; was?: string }[] }[] };
    expect(out).toMatchObject({ schemaVersion: 1, dryRun: true, inSync: false });
    const actions = out.models[0]!.actions;
    expect(actions.every((a) => a.status === 'pending')).toBe(true);
    expect(actions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'delete-alias', alias: 'hotfix' }),
        expect.objectContaining({ kind: 'create-version', version: 1 }),
        expect.objectContaining({ kind: 'set-tag', version: 2, was: 'Production' }),
        expect.objectContaining({ kind: 'set-alias', alias: 'champion', version: 1, was: '1' }),
      ]),
    );
    expect(out.summary.differences).toBe(actions.length);
    const text = await sync(s, [MODEL, '--dry-run']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/differs\s+point @champion of churn-classifier at v1, was MLflow version 1/);
    expect(text.stdout).toMatch(/dry run: \d+ differences; nothing was written/);

    expect((await sync(s, [MODEL])).code).toBe(0);
    const v1 = m.versions.find((v) => v.tags.some((t) => t.key === 'modelgate.version' && t.value === '1'))!;
    expect(v1.source).toBe('models:/m-a1032d507ff04e4e8623a178004f7a80');
    expect(Object.fromEntries(m.aliases)).toEqual({ champion: v1.version });
    expect(tagsOf(s, '2')['modelgate.stage']).toBe('None');
    expect((await sync(s, [MODEL, '--dry-run'])).code).toBe(0);
  });

  it('a server failing mid-way is exit 3 naming what is done and what is not; re-running completes it', async () => {
    const s = await setup();
    s.server.failWrite(3, { times: 2 }); // the third write and its one retry
    const r = await sync(s, [MODEL]);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    noSecrets(r);
    expect(r.stderr).toMatch(/sync mlflow stopped part-way: .*done: delete alias @challenger .*, create the MLflow version of churn-classifier v1 .*; not done: .*point @champion/s);
    expect(r.stderr).toContain('re-run `modelgate sync mlflow`');
    expect(r.stdout).toMatch(/not done\s+point @champion/);
    // The alias was not moved before its version was complete: champion is where it was (v1 of MLflow) or absent.
    expect(s.server.models.get(MODEL)!.aliases.get('champion')).toBe('1');

    const again = await sync(s, [MODEL]);
    expect(again.code, again.stderr).toBe(0);
    const m = s.server.models.get(MODEL)!;
    expect(m.versions.map((v) => v.version)).toEqual(['1', '2', '3']); // the re-run mapped v3, did not create it again
    expect(Object.fromEntries(m.aliases)).toEqual({ champion: '3' });
    const writes = s.server.writes().length;
    expect((await sync(s, [MODEL])).code).toBe(0);
    expect(s.server.writes()).toHaveLength(writes);
  });

  it('json output of a stopped sync says which actions are done', async () => {
    const s = await setup();
    s.server.failWrite(1, { times: 2 });
    const r = await sync(s, ['--format', 'json']);
    expect(r.code).toBe(3);
    const out = JSON.parse(r.stdout) as { inSync: boolean; error: string; summary: { done: number; notDone: number } };
    expect(out.inSync).toBe(false);
    expect(out.summary.done).toBe(0);
    expect(out.summary.notDone).toBeGreaterThan(0);
    expect(out.error).toMatch(/injected write failure/);
  });

  it('MLFLOW_TRACKING_URI missing: exit 2 with a hint; refused credentials and an unreachable server: exit 3; nothing written', async () => {
    const s = await setup();
    const none = await sync(s, [], {});
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/sync mlflow needs MLFLOW_TRACKING_URI/);
    expect(none.stderr).toMatch(/hint: set MLFLOW_TRACKING_URI/);
    const refused = await sync(s, [], { ...s.env, MLFLOW_TRACKING_PASSWORD: 'wrong' });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/refused the credentials/);
    expect(refused.stderr).not.toContain('wrong');
    const down = await sync(s, [], { ...s.env, MLFLOW_TRACKING_URI: 'http://127.0.0.1:9' });
    expect(down.code).toBe(3);
    expect(s.server.writes()).toHaveLength(0);
  });

  it('bad input writes nothing: an unknown model, an unknown target, two manifests naming one registered model (exit 2)', async () => {
    const s = await setup();
    expect((await sync(s, ['no-such-model'])).code).toBe(2);
    const target = await modelgate(s.repo.dir, ['sync', 'wandb'], s.env);
    expect(target.code).toBe(2);
    expect(target.stderr).toMatch(/unknown target 'wandb'/);
    const other = (await readFile(join(s.repo.dir, 'registry/churn-predictor.yaml'), 'utf8')).replace('riskTier: high', `riskTier: high\nmlflow:\n  name: ${MODEL}`);
    await writeFile(join(s.repo.dir, 'registry/churn-predictor.yaml'), other);
    const clash = await sync(s);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/both sync to the MLflow registered model 'churn-classifier'/);
    expect(s.server.writes()).toHaveLength(0);
  });

  it('every model: one that is not snapshotted is created empty, its versions skipped with a note; mlflow.name and stages: true', async () => {
    const s = await setup();
    await writeFile(join(s.repo.dir, 'modelgate.yaml'), 'mlflow:\n  stages: true\n');
    await editManifest(s.repo, (t) => t.replace('name: churn-classifier\n', 'name: churn-classifier\nmlflow:\n  name: churn-prod\n'));
    const r = await sync(s);
    expect(r.code, r.stderr).toBe(0);
    // churn-predictor's runs are portable records of no tracking server: noted, not synced.
    expect(r.stdout).toMatch(/note\s+v2 is not synced: its run runs\/v2.json is not an MLflow snapshot/);
    expect(r.stdout).toMatch(/note\s+@champion is not set: v2 is not synced/);
    expect(s.server.models.get('churn-predictor')?.versions).toEqual([]);
    // churn-classifier syncs to churn-prod: both versions created there, stages set.
    const prod = s.server.models.get('churn-prod')!;
    expect(prod.versions.map((v) => [v.version, v.current_stage, v.source])).toEqual([
      ['1', 'Production', 'models:/m-a1032d507ff04e4e8623a178004f7a80'],
      ['2', 'None', 'models:/m-3d44c675b202439e9d47a1442c483b99'],
    ]);
    expect(Object.fromEntries(prod.aliases)).toEqual({ champion: '1' });
    // Created by sync, so tagged for their manifests (the ownership sync checks next time).
    expect(prod.tags).toContainEqual({ key: 'modelgate.model', value: MODEL });
    expect(s.server.models.get('churn-predictor')!.tags).toContainEqual({ key: 'modelgate.model', value: 'churn-predictor' });
    expect(s.server.writes().filter((w) => w.endsWith('/transition-stage'))).toHaveLength(1);
    // The seeded churn-classifier is not governed any more: left alone.
    expect(Object.fromEntries(s.server.models.get(MODEL)!.aliases)).toEqual({ challenger: '2', champion: '1' });
    expect(r.stdout).toContain('churn-classifier (MLflow: churn-prod)');
  });
});

/** Another team's registered model, made in MLflow without modelgate: one version serving as @champion. */
function otherTeamsModel(server: MlflowStandIn, name: string, tags: { key: string; value: string }[] = []): void {
  const seeded = server.models.get(MODEL)!.versions[0]!;
  server.models.set(name, {
    name,
    creation_timestamp: 1,
    last_updated_timestamp: 1,
    description: 'payments team',
    tags,
    versions: [{ ...structuredClone(seeded), name, version: '1', tags: [] }],
    aliases: new Map([['champion', '1']]),
  });
}

describe('sync mlflow: ownership of registered models (modelgate.model)', () => {
  const PREDICTOR = 'registry/churn-predictor.yaml';
  async function redirect(s: Setup, to: string): Promise<void> {
    const text = await readFile(join(s.repo.dir, PREDICTOR), 'utf8');
    await writeFile(join(s.repo.dir, PREDICTOR), text.replace('riskTier: high', `riskTier: high\nmlflow:\n  name: ${to}`));
  }
  function refusedUntouched(s: Setup, r: RunResult, name: string): void {
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(s.server.writes()).toEqual([]);
    const m = s.server.models.get(name)!;
    expect(Object.fromEntries(m.aliases)).toEqual({ champion: '1' });
    expect(m.versions.map((v) => v.version)).toEqual(['1']);
    expect(r.stderr).toContain('modelgate import mlflow');
    expect(r.stderr).toContain('--commit');
  }

  it('an mlflow.name redirect onto an existing untagged model is exit 2 with the adoption hint, nothing written (sync and --dry-run)', async () => {
    const s = await setup();
    otherTeamsModel(s.server, 'payments-fraud');
    await redirect(s, 'payments-fraud');
    for (const args of [[], ['--dry-run'], ['churn-predictor'], ['churn-predictor', '--dry-run']]) {
      const r = await sync(s, args);
      refusedUntouched(s, r, 'payments-fraud');
      expect(r.stderr).toMatch(/registry\/churn-predictor\.yaml: sync refuses churn-predictor: the MLflow registered model 'payments-fraud' exists and carries no modelgate\.model tag/);
      expect(r.stderr).toContain('set the registered-model tag modelgate.model=churn-predictor in MLflow');
      expect(r.stderr).toContain('modelgate import mlflow payments-fraud --as churn-predictor --commit');
    }
    // Every model is planned first: the governed churn-classifier got nothing either.
    expect(s.server.models.get(MODEL)!.versions.map((v) => v.version)).toEqual(['1', '2']);
  });

  it('a redirect onto a model tagged for another manifest, or a new manifest named like it, is exit 2, nothing written', async () => {
    const s = await setup();
    otherTeamsModel(s.server, 'payments-fraud', [{ key: 'modelgate.model', value: 'payments-fraud' }]);
    await redirect(s, 'payments-fraud');
    const r = await sync(s);
    refusedUntouched(s, r, 'payments-fraud');
    expect(r.stderr).toMatch(/the MLflow registered model 'payments-fraud' is governed by the manifest of 'payments-fraud' \(modelgate\.model=payments-fraud\), not by churn-predictor/);
    // A tag of another case or with spaces is another owner, too.
    s.server.models.get('payments-fraud')!.tags = [{ key: 'modelgate.model', value: 'Churn-Predictor' }];
    refusedUntouched(s, await sync(s, ['--dry-run']), 'payments-fraud');

    // The other way in: a new manifest (no mlflow:) whose name is another team's untagged model.
    await writeFile(join(s.repo.dir, PREDICTOR), (await readFile(join(s.repo.dir, PREDICTOR), 'utf8')).replace(/\nmlflow:\n  name: payments-fraud/, ''));
    otherTeamsModel(s.server, 'fraud-scorer');
    const fresh = (await readFile(join(s.repo.dir, PREDICTOR), 'utf8')).replace('name: churn-predictor', 'name: fraud-scorer');
    await writeFile(join(s.repo.dir, 'registry/fraud-scorer.yaml'), fresh);
    const clash = await sync(s, ['fraud-scorer']);
    refusedUntouched(s, clash, 'fraud-scorer');
    expect(clash.stderr).toMatch(/registry\/fraud-scorer\.yaml: sync refuses fraud-scorer: the MLflow registered model 'fraud-scorer' exists and carries no modelgate\.model tag/);
  });

  it('a fresh name is created with its modelgate.model tag in the create request; a later sync writes to it', async () => {
    const s = await setup();
    await redirect(s, 'churn-predictor-prod');
    const r = await sync(s, ['churn-predictor']);
    expect(r.code, r.stderr).toBe(0);
    const created = s.server.models.get('churn-predictor-prod')!;
    expect(created.tags).toEqual([{ key: 'modelgate.model', value: 'churn-predictor' }]);
    expect(s.server.writes()).toEqual(['POST /api/2.0/mlflow/registered-models/create']);
    expect(r.stdout).toMatch(/done\s+create registered model churn-predictor-prod, tagged modelgate\.model=churn-predictor/);
    const again = await sync(s, ['churn-predictor']);
    expect(again.code, again.stderr).toBe(0);
    expect(s.server.writes()).toHaveLength(1);
  });

  it('import mlflow --commit adopts an untagged model: sync then writes to it', async () => {
    const repo = await makeRegistry();
    const server = await startMlflowServer({ lifetimeMs: 90_000 });
    cleanups.push(() => repo.cleanup(), () => server.stop());
    const env = { MLFLOW_TRACKING_URI: server.url, MODELGATE_MLFLOW_BACKOFF_MS: '1', MODELGATE_MLFLOW_ATTEMPTS: '2' };
    const s: Setup = { repo, server, env };
    const imported = await modelgate(repo.dir, ['import', 'mlflow', MODEL, '--as', 'churn-clf', '--commit'], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(server.models.get(MODEL)!.tags).toContainEqual({ key: 'modelgate.model', value: 'churn-clf' });
    const before = server.writes().length;
    const r = await sync(s, ['churn-clf']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(server.writes().length).toBeGreaterThan(before); // tags of the imported versions (stage, audit) written
    const v1 = server.models.get(MODEL)!.versions.find((v) => v.version === '1')!;
    expect(Object.fromEntries(v1.tags.map((t) => [t.key, t.value]))).toMatchObject({ 'modelgate.version': '1', 'modelgate.stage': 'None' });
    // An import under another manifest name of a model now governed by churn-clf is refused.
    const second = await modelgate(repo.dir, ['import', 'mlflow', MODEL, '--as', 'hijack', '--dry-run'], env);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/is governed by the manifest of 'churn-clf' already/);
  });
});

describe('sync mlflow: a snapshot\'s model_id is checked against the server before a version is created from it', () => {
  const OTHER_RUNS_MODEL = 'm-3d44c675b202439e9d47a1442c483b99'; // a real logged model, of another run than CHILD
  async function forge(s: Setup, modelId: string): Promise<void> {
    const manifest = await readFile(join(s.repo.dir, `registry/${MODEL}.yaml`), 'utf8');
    const run = /- version: 1\n\s+run: (\S+)/.exec(manifest)![1]!;
    const path = join(s.repo.dir, run);
    const snap = JSON.parse(await readFile(path, 'utf8')) as { source: { model_id: string } };
    expect(snap.source.model_id).toBe('m-a1032d507ff04e4e8623a178004f7a80');
    snap.source.model_id = modelId;
    await writeFile(path, JSON.stringify(snap, null, 2) + '\n');
  }

  for (const [what, id, note] of [
    ['not a logged model on the server', 'm-00000000000000000000000000000000', /v1 is not synced: its snapshot's model_id m-0{32} is not a logged model on http:\/\/127\.0\.0\.1:\d+/],
    ['a real logged model of another run', OTHER_RUNS_MODEL, new RegExp(`v1 is not synced: its snapshot's model_id ${OTHER_RUNS_MODEL} was logged by run [0-9a-f]{32}, not by the snapshot's run ${CHILD}`)],
  ] as const) {
    it(`a forged model_id (${what}) creates no version: v1 and its @champion are noted, not synced`, async () => {
      const s = await setup();
      expect(s.server.loggedModels.has(OTHER_RUNS_MODEL)).toBe(true);
      await forge(s, id);
      const dry = await sync(s, [MODEL, '--dry-run']);
      expect(dry.stdout).toMatch(note);
      const r = await sync(s, [MODEL]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(note);
      expect(r.stdout).toMatch(/note\s+@champion is not set: v1 is not synced/);
      expect(s.server.writes().filter((w) => w.endsWith('/model-versions/create'))).toEqual([]);
      const m = s.server.models.get(MODEL)!;
      expect(m.versions.map((v) => v.version)).toEqual(['1', '2']);
      // The @champion MLflow had (on a version git did not give it) is removed, not re-pointed.
      expect(m.aliases.has('champion')).toBe(false);
      expect(s.server.requests.some((q) => q.line.startsWith(`GET /api/2.0/mlflow/logged-models/${id}`))).toBe(true);
    });
  }

  it('a manifest artifact: that is not the logged model\'s artifact_uri creates no version', async () => {
    const s = await setup();
    await editManifest(s.repo, (t) => t.replace(/(- version: 1\n\s+run: \S+\n\s+artifact: )\S+/, '$1s3://elsewhere/model'));
    expect(await readFile(join(s.repo.dir, `registry/${MODEL}.yaml`), 'utf8')).toContain('artifact: s3://elsewhere/model');
    const r = await sync(s, [MODEL]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/v1 is not synced: its artifact s3:\/\/elsewhere\/model is not the artifact of logged model m-a1032d507ff04e4e8623a178004f7a80 \(mlflow-artifacts:\/1\/models\/m-a1032d507ff04e4e8623a178004f7a80\/artifacts\)/);
    expect(s.server.writes().filter((w) => w.endsWith('/model-versions/create'))).toEqual([]);
  });
});
