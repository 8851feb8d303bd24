import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  land
} from "./chunk-BBTD4EPZ.js";
import {
  assertCommitted,
  changeRecords,
  ciRunUrl,
  commitMessage,
  policyDigest,
  resolveActor,
  sealChain,
  stageAction
} from "./chunk-HCY2ODEW.js";
import {
  takeBack
} from "./chunk-KJYE4KVK.js";
import {
  judge
} from "./chunk-MFRRL4OI.js";
import {
  selectPolicies
} from "./chunk-S5WV7FJK.js";
import {
  GitState,
  deriveTransitions,
  removedAliases
} from "./chunk-ECHALH7R.js";
import {
  repoRoot
} from "./chunk-5ZHK5UEQ.js";
import {
  RunCache,
  changesTouching,
  commitsTouching,
  firstParentLine,
  readAuditState
} from "./chunk-WVHT4QIA.js";
import {
  git
} from "./chunk-SO4SZRZT.js";
import {
  appendRecords,
  crashPoint
} from "./chunk-UVN7TA7M.js";
import {
  WorktreeState,
  auditPath,
  modelOfPath,
  readLayout,
  readManifest,
  readPolicies
} from "./chunk-27FDAS2B.js";
import {
  InputError
} from "./chunk-RTQ2UXCO.js";

// src/commands/record.ts
import { join, resolve as resolvePath } from "node:path";
async function runRecord(opts) {
  const commit = !opts.dryRun && (opts.commit || opts.push);
  return land(
    { repo: opts.repo, commit, push: opts.push && !opts.dryRun, publisher: opts.publisher, redoing: "recording", onProgress: opts.onRetry ?? opts.onProgress },
    () => recordOnce({ ...opts, commit })
  );
}
async function recordOnce(opts) {
  const root = await repoRoot(resolvePath(opts.repo));
  const head = await GitState.open(root, "HEAD");
  const work = new WorktreeState(root);
  try {
    const layout = await readLayout(head);
    if (opts.commit && !opts.dryRun) await assertCommitted(root, [layout.audit]);
    const commits = await commitsTouching(root, [layout.registry], { ...opts.since !== void 0 ? { since: opts.since } : {}, strict: true });
    const adopted = await adoptionOrder(root, layout.audit, commits.length > 0);
    const actor = await resolveActor(root, opts.actor, opts.env);
    const audits = /* @__PURE__ */ new Map();
    const pending = /* @__PURE__ */ new Map();
    const bypassed = [];
    const runs = new RunCache(opts.env);
    const runUrl = ciRunUrl(opts.env);
    const attributions = /* @__PURE__ */ new Map();
    const attributionOf = (sha) => {
      if (!opts.attribute) return Promise.resolve({ approvals: { kind: "none" } });
      let a = attributions.get(sha);
      if (!a) attributions.set(sha, a = opts.attribute(sha));
      return a;
    };
    for (const c of commits) {
      if (!c.parent) continue;
      const touched = await changedIn(root, c.sha);
      const models = [...new Set(touched.map((p) => modelOfPath(layout, p)).filter((m) => !!m))];
      if (models.length === 0) continue;
      const before = await GitState.open(root, c.parent);
      const after = await GitState.open(root, c.sha);
      try {
        const policies = await readPolicies(before, await readLayout(before)).catch(() => []);
        for (const model of models) {
          if (touched.includes(auditPath(layout, model))) continue;
          if (!audits.has(model)) audits.set(model, await loadBuildable(work, layout, model));
          const audit = audits.get(model);
          if (audit?.sourceCommits.has(c.sha)) continue;
          if (audit && adopted.beforeAdoption(auditPath(layout, model), c.sha)) continue;
          const { pr, approvals } = await attributionOf(c.sha);
          const base = await readManifest(before, layout, model, { singleProduction: false }).catch(() => void 0);
          const headM = await readManifest(after, layout, model, { singleProduction: false }).catch(() => void 0);
          const transitions = deriveTransitions(model, base?.manifest, headM?.manifest).filter((t) => t.kind !== "remove");
          const deps = {
            root,
            layout,
            base: before,
            head: after,
            policies,
            now: opts.now,
            approvals,
            env: opts.env,
            ...opts.resolveTeam ? { resolveTeam: opts.resolveTeam } : {},
            ...opts.onProgress ? { onProgress: opts.onProgress } : {}
          };
          const list = pending.get(model) ?? [];
          const prev = list.length ? list[list.length - 1] : audit?.last;
          const toRecord = [];
          for (const t of [...transitions].sort((x, y) => Number(x.to === "Archived") - Number(y.to === "Archived"))) {
            const j = await judge(deps, runs, t, headM, base, { outOfTimeIsFault: true });
            if (j.faults.length) return { result: { records: [], bypassed: [], faults: j.faults } };
            toRecord.push(j.result);
          }
          for (const r of toRecord) {
            const failed = r.checks.filter((x) => x.status === "fail").map((x) => x.id);
            if (failed.length) bypassed.push({ model, version: r.version, commit: c.sha, failed });
          }
          const fields = changeRecords(
            {
              time: opts.now.toISOString(),
              actor,
              model,
              manifest: headM?.manifest ?? { name: model, versions: [], aliases: {} },
              before: base?.manifest,
              reason: c.subject,
              policy: await policyDigest(before, selectPolicies(policies, model)),
              source: {
                commit: c.sha,
                ...pr !== void 0 ? { pr } : {},
                ...approvals.kind === "pr" ? { approvals: approvals.approvers } : {},
                ...runUrl ? { run_url: runUrl } : {}
              }
            },
            toRecord,
            stageAction,
            removedAliases(base?.manifest, headM?.manifest)
          );
          list.push(...sealChain(fields, prev ? { seq: prev.seq, hash: prev.hash } : void 0));
          if (list.length) pending.set(model, list);
        }
      } finally {
        before.close?.();
        after.close?.();
      }
    }
    const all = [...pending.values()].flat();
    if (opts.dryRun || all.length === 0) return { result: { records: all, bypassed, faults: [] } };
    const writes = [];
    const files = [...pending.keys()].map((m) => auditPath(layout, m));
    crashPoint("before-write");
    try {
      for (const [model, records] of pending) writes.push(await appendRecords(join(root, auditPath(layout, model)), records));
    } catch (err) {
      throw await takeBack(root, [], writes, err);
    }
    crashPoint("before-commit");
    const message = commitMessage(all, `Recorded ${all.length} transition${all.length === 1 ? "" : "s"} merged without an audit record.`);
    return { result: { records: all, bypassed, faults: [] }, change: { files, message, writes } };
  } finally {
    head.close?.();
  }
}
async function loadBuildable(work, layout, model) {
  const audit = await readAuditState(work, auditPath(layout, model), model);
  if (audit?.problems.length) {
    throw new InputError(`the audit log of ${model} is broken: ${audit.problems[0].message}`, {
      location: { file: audit.file },
      hint: "run `modelgate audit verify`; restore the log from git history before recording"
    });
  }
  return audit;
}
async function adoptionOrder(root, auditDir, needed) {
  if (!needed) return { beforeAdoption: () => false };
  const [order, changes] = await Promise.all([firstParentLine(root), changesTouching(root, [auditDir])]);
  const index = new Map(order.map((sha, i) => [sha, i]));
  const adoption = /* @__PURE__ */ new Map();
  for (const c of changes) for (const file of c.files) if (!adoption.has(file) && index.has(c.sha)) adoption.set(file, index.get(c.sha));
  return {
    beforeAdoption(file, sha) {
      const at = adoption.get(file);
      const i = index.get(sha);
      return at === void 0 || i === void 0 || i >= at;
    }
  };
}
async function changedIn(root, sha) {
  const r = await git(["diff", "--name-only", "-z", "--no-renames", `${sha}^1`, sha], { cwd: root });
  return r.stdout.split("\0").filter(Boolean);
}

export {
  runRecord
};
