/**
 * `runSync` in-process against the stand-in, for what the e2e file does not cover: 2.x-style
 * snapshots (no logged model: `runs:/<id>/<path>`), snapshots of another server (noted, not
 * synced), and an audit log that does not verify (exit 2, nothing written).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { makeRegistry } from '../helpers/registry';
import { startMlflowServer, type MlflowStandIn } from '../helpers/mlflowServer';
import { modelSource, runSync } from '../../src/commands/sync';
import { InputError } from '../../src/errors';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const RUN_2X = 'aa11bb22cc33dd44ee55ff6600112233';

function snapshot(runId: string, trackingUri: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ run_id: runId, status: 'FINISHED', artifact: `s3://ml/1/${runId}/artifacts/model`, source: { tracker: 'mlflow', tracking_uri: trackingUri, run_id: runId, fetched_at: '2026-12-01T00:00:00.000Z' }, ...extra }, null, 2) + '\n';
}

const manifest = (versions: string, aliases = '') => `apiVersion: modelgate/v1
kind: Model
name: fraud
versions:
${versions}${aliases}`;

async function world(files: Record<string, string>): Promise<{ dir: string; server: MlflowStandIn; env: Record<string, string> }> {
  const server = await startMlflowServer({ lifetimeMs: 30_000, seed: false });
  const repo = await makeRegistry(files);
  cleanups.push(() => repo.cleanup(), () => server.stop());
  return { dir: repo.dir, server, env: { MLFLOW_TRACKING_URI: server.url, MODELGATE_MLFLOW_ATTEMPTS: '1' } };
}

describe('sync mlflow, in-process', () => {
  it('a 2.x snapshot becomes runs:/<run_id>/<path>; a snapshot of another server is noted and not synced', async () => {
    const server = await startMlflowServer({ lifetimeMs: 30_000, seed: false });
    cleanups.push(() => server.stop());
    const repo = await makeRegistry({
      'registry/fraud.yaml': manifest('  - version: 1\n    run: runs/fraud/a.json\n    stage: Staging\n  - version: 2\n    run: runs/fraud/b.json\n    stage: None\n', 'aliases:\n  canary: 1\n  shadow: 2\n'),
      'runs/fraud/a.json': snapshot(RUN_2X, server.url),
      'runs/fraud/b.json': snapshot('ffff0000ffff0000ffff0000ffff0000', 'https://other-mlflow.example'),
    });
    cleanups.push(() => repo.cleanup());
    const env = { MLFLOW_TRACKING_URI: server.url, MODELGATE_MLFLOW_ATTEMPTS: '1' };
    const o = await runSync({ repo: repo.dir, format: 'text', now: new Date(), env, models: ['fraud'], dryRun: false });
    const m = server.models.get('fraud')!;
    expect(m.versions.map((v) => [v.version, v.source, v.run_id])).toEqual([['1', `runs:/${RUN_2X}/model`, RUN_2X]]);
    expect(Object.fromEntries(m.aliases)).toEqual({ canary: '1' });
    expect(o.models[0]!.notes).toEqual([
      `v2 is not synced: its snapshot comes from https://other-mlflow.example, not from MLFLOW_TRACKING_URI (${server.url})`,
      '@shadow is not set: v2 is not synced',
    ]);
    expect(o.models[0]!.actions.every((a) => a.status === 'done')).toBe(true);
    expect(o.models[0]!.actions.find((a) => a.kind === 'create-version')?.mlflowVersion).toBe('1');
  });

  it('an artifact that is a repository path is never sent to MLflow as a source: noted, not synced', async () => {
    const server = await startMlflowServer({ lifetimeMs: 30_000, seed: false });
    cleanups.push(() => server.stop());
    const repo = await makeRegistry({
      'registry/fraud.yaml': manifest('  - version: 1\n    run: runs/fraud/a.json\n    artifact: models/fraud/model.pkl\n    stage: None\n  - version: 2\n    run: runs/fraud/b.json\n    stage: None\n', 'aliases:\n  canary: 1\n'),
      'models/fraud/model.pkl': 'weights',
      'runs/fraud/a.json': snapshot(RUN_2X, server.url),
      'runs/fraud/b.json': snapshot('ffff0000ffff0000ffff0000ffff0000', server.url, { artifact: '../../etc/model' }),
    });
    cleanups.push(() => repo.cleanup());
    const env = { MLFLOW_TRACKING_URI: server.url, MODELGATE_MLFLOW_ATTEMPTS: '1' };
    const o = await runSync({ repo: repo.dir, format: 'text', now: new Date(), env, models: ['fraud'], dryRun: false });
    expect(server.models.get('fraud')!.versions).toEqual([]);
    expect(server.writes()).toEqual(['POST /api/2.0/mlflow/registered-models/create']);
    expect(o.models[0]!.notes).toEqual([
      'v1 is not synced: its artifact models/fraud/model.pkl is a repository path, not a URI MLflow can register (s3:// or mlflow-artifacts:/)',
      'v2 is not synced: its artifact ../../etc/model is a repository path, not a URI MLflow can register (s3:// or mlflow-artifacts:/)',
      '@canary is not set: v1 is not synced',
    ]);
  });

  it('an audit log whose chain does not verify: exit 2 naming it, nothing written', async () => {
    const w = await world({});
    await mkdir(join(w.dir, 'audit'), { recursive: true });
    await appendFile(join(w.dir, 'audit/churn-predictor.jsonl'), '{"seq":1}\n');
    const err = await runSync({ repo: w.dir, format: 'text', now: new Date(), env: w.env, dryRun: false }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(/the audit log of churn-predictor does not verify/);
    expect((err as InputError).hint).toMatch(/modelgate audit verify/);
    expect(w.server.writes()).toEqual([]);
  });
});

describe('modelSource', () => {
  it('prefers the logged model, then the run-relative path, then the artifact URI', () => {
    expect(modelSource({ run_id: 'r1', model_id: 'm-1' }, 's3://b/1/r1/artifacts/model')).toBe('models:/m-1');
    expect(modelSource({ run_id: 'r1' }, 'mlflow-artifacts:/1/r1/artifacts/sub/model/')).toBe('runs:/r1/sub/model');
    expect(modelSource({ run_id: 'r1' }, 's3://b/elsewhere/model')).toBe('s3://b/elsewhere/model');
    expect(modelSource({ run_id: 'r1' }, undefined)).toBeUndefined();
  });
});
