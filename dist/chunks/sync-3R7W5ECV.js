import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  hasCommit,
  writeSummary
} from "./chunk-WMLXBDXE.js";
import {
  changedFiles
} from "./chunk-W7Z66SK3.js";
import {
  info,
  scrub,
  setFailed
} from "./chunk-4UTOWC7N.js";
import "./chunk-DC2BPCUF.js";
import {
  repoRoot
} from "./chunk-5ZHK5UEQ.js";
import "./chunk-SO4SZRZT.js";
import {
  WorktreeState,
  modelOfAuditPath,
  modelOfPath,
  readLayout
} from "./chunk-27FDAS2B.js";
import "./chunk-HYWAOBHT.js";
import "./chunk-JOPA73JY.js";
import {
  InputError,
  ModelgateError,
  formatError
} from "./chunk-RTQ2UXCO.js";
import {
  inertLegacy
} from "./chunk-PYSCYDZ7.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";

// src/action/sync.ts
import { resolve } from "node:path";
var SHA = /^[0-9a-f]{40}$/;
function assertSyncReady(ctx) {
  if (ctx.inputs.sync !== "mlflow" || ctx.env.MLFLOW_TRACKING_URI) return;
  throw new InputError("input 'sync: mlflow' needs MLFLOW_TRACKING_URI in the step's env", {
    hint: "set env: MLFLOW_TRACKING_URI: ${{ vars.MLFLOW_TRACKING_URI }} (and MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD from secrets) on the modelgate step; nothing was recorded or pushed"
  });
}
function assertSyncRef(ctx, plan) {
  if (ctx.inputs.sync !== "mlflow" || plan !== "record") return;
  const main = ctx.payload.repository?.default_branch;
  if (typeof main === "string" && main !== "" && ctx.ref === `refs/heads/${main}`) return;
  const where = typeof main === "string" && main !== "" ? `the default branch (refs/heads/${main})` : "the default branch (the event payload has no repository.default_branch)";
  throw new InputError(`input 'sync: mlflow' with record runs only on ${where}; this run is on '${ctx.ref || "no ref"}'`, {
    hint: "MLflow serves what git decided on the default branch, after review: run record with sync: mlflow on pushes to the default branch only (on: push: branches: [main]). Nothing was recorded, pushed or synced"
  });
}
async function syncAfterPush(ctx, scope) {
  if (ctx.inputs.sync !== "mlflow") return;
  try {
    const root = await repoRoot(resolve(ctx.workspace, ctx.inputs.repoPath), { within: ctx.workspace });
    const models = "model" in scope ? [scope.model] : await changedModels(root, scope.since);
    if (models !== void 0 && models.length === 0) {
      info("modelgate: sync mlflow: no model changed in this push; nothing to sync");
      return;
    }
    const [{ runSync, SyncIncomplete }, { renderSync }] = await Promise.all([import("./sync-B5UIOY5B.js"), import("./sync-PRY25NKN.js")]);
    try {
      const o = await runSync({ repo: root, format: "text", now: /* @__PURE__ */ new Date(), env: ctx.env, ...models ? { models } : {}, dryRun: false });
      info(renderSync(o, "text", { color: false }));
      await writeSummary(renderSync(o, "markdown", { color: false }));
    } catch (err) {
      if (err instanceof SyncIncomplete) {
        info(renderSync(err.outcome, "text", { color: false }));
        await writeSummary(renderSync(err.outcome, "markdown", { color: false }));
      }
      throw err;
    }
  } catch (err) {
    const text = err instanceof ModelgateError ? formatError(err) : `internal error: ${err?.message ?? String(err)}`;
    const line = inertLegacy(scrub(`modelgate: git is ahead of MLflow; re-run sync. ${text}`, ctx.inputs.token));
    setFailed(line);
    await writeSummary(`### modelgate: git is ahead of MLflow; re-run sync

The decision is committed and pushed; the MLflow Model Registry did not follow it (see the step log).
`).catch(() => void 0);
    process.exitCode = 3;
  }
}
async function changedModels(root, since) {
  if (typeof since !== "string" || !SHA.test(since) || /^0+$/.test(since) || !await hasCommit(root, since)) return void 0;
  const layout = await readLayout(new WorktreeState(root));
  const models = /* @__PURE__ */ new Set();
  for (const path of (await changedFiles(root, since, "HEAD")).keys()) {
    const m = modelOfPath(layout, path) ?? modelOfAuditPath(layout, path);
    if (m !== void 0) models.add(m);
  }
  const state = new WorktreeState(root);
  const present = [];
  for (const m of [...models].sort()) if (await state.stat(`${layout.registry}/${m}.yaml`)) present.push(m);
  return present;
}
export {
  assertSyncReady,
  assertSyncRef,
  syncAfterPush
};
