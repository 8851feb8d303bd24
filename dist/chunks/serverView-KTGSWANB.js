import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  mlmodelReader
} from "./chunk-TJNSDANC.js";
import {
  mlmodelSignature
} from "./chunk-WH5TWHOG.js";
import {
  connectionFromEnv
} from "./chunk-ILASVY3E.js";
import {
  createMlflowClient
} from "./chunk-2UQMGH7H.js";
import {
  parseSignature,
  signatureState
} from "./chunk-D7WOBC7Y.js";
import "./chunk-HYWAOBHT.js";
import {
  isRemoteUri
} from "./chunk-JOPA73JY.js";
import {
  EnvironmentError
} from "./chunk-RTQ2UXCO.js";
import "./chunk-CCN2QAD7.js";

// src/mlflow/serverView.ts
async function serverRunView(run, env) {
  const source = run.source;
  if (!env.MLFLOW_TRACKING_URI) {
    throw new EnvironmentError(`run.source needs the tracking server of ${run.ref}, and MLFLOW_TRACKING_URI is not set`, {
      hint: `set MLFLOW_TRACKING_URI=${source.trackingUri} (and its credentials) in the job; pull requests from forks get no secrets, so the check fails closed there`
    });
  }
  const conn = connectionFromEnv(env);
  if (conn.trackingUri !== source.trackingUri) {
    throw new EnvironmentError(`${run.ref} was snapshotted from ${source.trackingUri}, but MLFLOW_TRACKING_URI is ${conn.trackingUri}`, {
      hint: "point MLFLOW_TRACKING_URI at the server the snapshot names"
    });
  }
  const client = await createMlflowClient(conn);
  const live = await client.getRun(source.runId);
  if (!live) throw new EnvironmentError(`run ${source.runId} of ${run.ref} is no longer on ${source.trackingUri}`, { hint: "the run was deleted on the tracking server; restore it, or drop run.source for this version" });
  const kv = (list) => Object.fromEntries(list.map((x) => [x.key, x.value]));
  const label = `${source.trackingUri} MLmodel`;
  let signature = { state: "absent", source: label };
  if (run.artifact !== void 0 && isRemoteUri(run.artifact)) {
    const text = await mlmodelReader(client, env)(run.artifact);
    const sig = text === void 0 ? void 0 : mlmodelSignature(text);
    signature = sig ? signatureState(label, () => parseSignature(sig)) : text === void 0 ? { state: "unavailable", reason: `no MLmodel at ${run.artifact}` } : { state: "absent", source: label };
  }
  return {
    status: live.info.status,
    params: kv(live.data.params),
    tags: kv(live.data.tags),
    metrics: Object.fromEntries(live.data.metrics.map((m) => [m.key, m.value])),
    signature
  };
}
export {
  serverRunView
};
