/**
 * What the tracking server says of a snapshotted run now (check `run.source`): the run's
 * params, tags, status and latest metrics, and the signature of the model the snapshot names.
 */
import { EnvironmentError } from '../errors';
import { parseSignature, signatureState } from '../runs/signature';
import type { RunRecord, ServerRunView } from '../runs/types';
import { isRemoteUri } from '../storage/paths';
import { connectionFromEnv } from './connection';
import { createMlflowClient } from './client';
import { mlmodelReader } from './fromServer';
import { mlmodelSignature } from './snapshot';

type Env = Record<string, string | undefined>;

export async function serverRunView(run: RunRecord, env: Env): Promise<ServerRunView> {
  const source = run.source!;
  if (!env.MLFLOW_TRACKING_URI) {
    // In CI this is a missing secret (a fork's pull request): the environment, so exit 3.
    throw new EnvironmentError(`run.source needs the tracking server of ${run.ref}, and MLFLOW_TRACKING_URI is not set`, {
      hint: `set MLFLOW_TRACKING_URI=${source.trackingUri} (and its credentials) in the job; pull requests from forks get no secrets, so the check fails closed there`,
    });
  }
  const conn = connectionFromEnv(env);
  if (conn.trackingUri !== source.trackingUri) {
    throw new EnvironmentError(`${run.ref} was snapshotted from ${source.trackingUri}, but MLFLOW_TRACKING_URI is ${conn.trackingUri}`, {
      hint: 'point MLFLOW_TRACKING_URI at the server the snapshot names',
    });
  }
  const client = await createMlflowClient(conn);
  const live = await client.getRun(source.runId);
  if (!live) throw new EnvironmentError(`run ${source.runId} of ${run.ref} is no longer on ${source.trackingUri}`, { hint: 'the run was deleted on the tracking server; restore it, or drop run.source for this version' });
  const kv = (list: { key: string; value: string }[]) => Object.fromEntries(list.map((x) => [x.key, x.value]));
  const label = `${source.trackingUri} MLmodel`;
  let signature: ServerRunView['signature'] = { state: 'absent', source: label };
  if (run.artifact !== undefined && isRemoteUri(run.artifact)) {
    const text = await mlmodelReader(client, env)(run.artifact);
    const sig = text === undefined ? undefined : mlmodelSignature(text);
    signature = sig ? signatureState(label, () => parseSignature(sig)) : text === undefined ? { state: 'unavailable', reason: `no MLmodel at ${run.artifact}` } : { state: 'absent', source: label };
  }
  return {
    status: live.info.status,
    params: kv(live.data.params),
    tags: kv(live.data.tags),
    metrics: Object.fromEntries(live.data.metrics.map((m) => [m.key, m.value])),
    signature,
  };
}
