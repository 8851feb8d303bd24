import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  takeBack,
  uncommittedPaths
} from "./chunk-KJYE4KVK.js";
import {
  judge,
  outcome
} from "./chunk-MFRRL4OI.js";
import {
  selectPolicies
} from "./chunk-S5WV7FJK.js";
import {
  exitCodeOf
} from "./chunk-BSSGNPR6.js";
import {
  genesisOf
} from "./chunk-VR3S7AYC.js";
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
  compareWithManifest,
  readAuditState
} from "./chunk-WVHT4QIA.js";
import {
  git
} from "./chunk-SO4SZRZT.js";
import {
  appendRecords,
  crashPoint,
  isTempFile,
  jsonSafeNumber,
  sealRecord,
  writeFileAtomic
} from "./chunk-UVN7TA7M.js";
import {
  WorktreeState,
  assertPlainLayout,
  assertPlainPath,
  auditPath,
  loadManifest,
  manifestPath,
  readLayout,
  readPolicies
} from "./chunk-27FDAS2B.js";
import {
  InputError
} from "./chunk-RTQ2UXCO.js";

// src/audit/build.ts
function changeRecords(ctx, results, actionOf, removed) {
  const out = results.map((r) => transitionRecord(ctx, r, actionOf(r), displacedBy(results, r)));
  for (const { alias, version } of removed) {
    out.push({
      time: ctx.time,
      actor: ctx.actor,
      action: "alias",
      model: ctx.model,
      version,
      from: null,
      to: `@${alias}`,
      removed: true,
      checks: [],
      ...ctx.policy ? { policy: ctx.policy } : {},
      ...ctx.reason ? { reason: ctx.reason } : {},
      source: ctx.source
    });
  }
  return out;
}
function stageAction(r) {
  return r.kind === "alias" ? "alias" : r.kind === "register" ? "register" : r.to === "Archived" ? "archive" : "promote";
}
function sealChain(fields, prev) {
  const out = [];
  for (const f of fields) {
    const rec = sealRecord(f, prev);
    out.push(rec);
    prev = { seq: rec.seq, hash: rec.hash };
  }
  return out;
}
function transitionRecord(ctx, r, action, displaced) {
  const v = ctx.manifest.versions.find((x) => x.version === r.version) ?? ctx.before?.versions.find((x) => x.version === r.version);
  const uri = v?.artifact ?? r.lineage?.artifact;
  return {
    time: ctx.time,
    actor: ctx.actor,
    action,
    model: ctx.model,
    version: r.version,
    from: r.from,
    to: r.to ?? "None",
    ...ctx.reason ? { reason: ctx.reason } : {},
    ...v ? { run: v.run } : {},
    ...uri || v?.digest ? { artifact: { ...uri ? { uri } : {}, ...v?.digest ? { digest: v.digest } : {} } } : {},
    ...ctx.policy ? { policy: ctx.policy } : {},
    checks: r.checks.map((c) => ({ id: c.id, status: c.status, level: c.level })),
    ...r.evidence || v?.evidence ? { evidence: { ...r.evidence ? safeEvidence(r.evidence) : { metrics: {} }, ...v?.evidence ? { digest: v.evidence } : {} } } : {},
    ...displaced !== void 0 ? { displaced } : {},
    ...ctx.manifest.riskTier ? { riskTier: ctx.manifest.riskTier } : {},
    ...ctx.manifest.intendedUse ? { intendedUse: ctx.manifest.intendedUse } : {},
    source: ctx.source
  };
}
function displacedBy(results, r) {
  if (r.kind === "stage" && r.to === "Production") return results.find((o) => o.from === "Production" && o.to === "Archived")?.version;
  if (r.kind === "alias") return r.previousVersion;
  return void 0;
}
function safeEvidence(e) {
  const conv = (m) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, jsonSafeNumber(v)]));
  return { metrics: conv(e.metrics), ...e.baseline ? { baseline: { version: e.baseline.version, metrics: conv(e.baseline.metrics) } } : {} };
}

// src/commands/policyDigest.ts
import { createHash } from "node:crypto";
async function policyDigest(state, applying) {
  const files = [...new Set(applying.flatMap((p) => p.sources))].sort();
  const lines = [];
  for (const f of [...files].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))) {
    const bytes = await state.readBytes(f) ?? await presetBytes(f);
    lines.push(`${createHash("sha256").update(bytes ?? new Uint8Array()).digest("hex")}  ${f}
`);
  }
  return { files, digest: "sha256:" + createHash("sha256").update(lines.join("")).digest("hex") };
}
async function presetBytes(source) {
  const { presetText } = await import("./presets-SZ3ZVA7R.js");
  const t = presetText(source);
  return t === void 0 ? void 0 : new TextEncoder().encode(t);
}

// src/audit/trailers.ts
var KEYS = {
  model: "Modelgate-Model",
  version: "Modelgate-Version",
  transition: "Modelgate-Transition",
  audit: "Modelgate-Audit"
};
function transitionText(r) {
  if (r.to.startsWith("@")) {
    if (r.removed) return `${r.to} v${r.version} -> (removed)`;
    return `${r.to} ${r.displaced !== void 0 ? `v${r.displaced} ` : ""}-> v${r.version}`;
  }
  return `${r.from ?? "new"} -> ${r.to}`;
}
function commitMessage(records, reason) {
  if (records.length === 0) throw new Error("commitMessage: no records to describe");
  const paragraphs = [subjectOf(records)];
  const body = reason === void 0 ? "" : reasonParagraph(reason);
  if (body) paragraphs.push(body);
  paragraphs.push(records.map(trailerBlock).join("\n"));
  return paragraphs.join("\n\n") + "\n";
}
function subjectOf(records) {
  const main = records.filter((r) => !isDisplacedArchive(r, records) && !isFollowingAlias(r, records));
  const following = records.filter((r) => isFollowingAlias(r, records)).map((r) => r.to);
  if (main.length === 1) return oneLine(`modelgate: ${describe(main[0])}${following.length ? `, ${following.join(", ")} with it` : ""}`);
  const models = [...new Set(records.map((r) => r.model))];
  return oneLine(`modelgate: record ${records.length} transitions${models.length === 1 ? ` of ${models[0]}` : ""}`);
}
function isDisplacedArchive(r, all) {
  return r.to === "Archived" && all.some((o) => o !== r && !o.to.startsWith("@") && o.displaced === r.version && o.model === r.model);
}
function isFollowingAlias(r, all) {
  return r.to.startsWith("@") && all.some((o) => o !== r && !o.to.startsWith("@") && o.to !== "Archived" && o.version === r.version && o.model === r.model);
}
function describe(r) {
  if (r.to.startsWith("@")) return `${r.action} ${r.model} ${transitionText(r)}`;
  return `${r.action} ${r.model} v${r.version} ${transitionText(r)}`;
}
function trailerBlock(r) {
  return [
    `${KEYS.model}: ${oneLine(r.model)}`,
    `${KEYS.version}: ${r.version}`,
    `${KEYS.transition}: ${oneLine(transitionText(r))}`,
    `${KEYS.audit}: ${oneLine(r.hash)}`
  ].join("\n");
}
function oneLine(s) {
  return s.replace(/\s*[\r\n]+\s*/g, " ").trim();
}
function reasonParagraph(reason) {
  return reason.replace(/\r\n?/g, "\n").split("\n").map((line) => line.trimEnd()).map((line) => /^---(\s|$)/.test(line) ? " " + line : line).join("\n").replace(/^\n+|\n+$/g, "");
}

// src/commands/actor.ts
async function resolveActor(root, flag, env) {
  if (flag) return flag;
  if (env.GITHUB_ACTOR) return env.GITHUB_ACTOR;
  const r = await git(["config", "user.name"], { cwd: root, allowFail: true });
  const name = r.stdout.trim();
  if (r.code === 0 && name) return name;
  throw new InputError("no actor: who is making this decision?", { hint: "pass --actor NAME (or set git user.name)" });
}
function ciRunUrl(env) {
  const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID } = env;
  if (!GITHUB_SERVER_URL || !GITHUB_REPOSITORY || !GITHUB_RUN_ID) return void 0;
  return `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`;
}

// src/commands/apply.ts
import { join, resolve } from "node:path";
async function readCurrent(repo, model) {
  const root = await repoRoot(resolve(repo));
  const trusted = await GitState.open(root, "HEAD").catch(() => {
    throw new InputError("the repository has no commits yet", { hint: "commit your registry, policies and modelgate.yaml first: policies are read from the last commit" });
  });
  try {
    const layout = await readLayout(trusted);
    const policies = await readPolicies(trusted, layout);
    const work = new WorktreeState(root);
    await assertPlainLayout(work, layout);
    await assertPlainPath(work, manifestPath(layout, model), "a manifest");
    const manifestText = await work.readText(manifestPath(layout, model));
    const manifest = manifestText === void 0 ? void 0 : loadManifest(manifestText, manifestPath(layout, model), { singleProduction: true });
    const audit = await readAuditState(work, auditPath(layout, model), model);
    await assertBuildable(root, layout, model, manifest, audit);
    return { root, layout, trusted, work, manifest, manifestText, policies, audit };
  } finally {
    trusted.close?.();
  }
}
async function assertBuildable(root, layout, model, manifest, audit) {
  if (!audit) return;
  const p = audit.problems[0];
  const mismatch = p || !manifest ? void 0 : compareWithManifest(audit.replay, manifest.manifest, await genesisOf(root, layout, model))[0];
  if (!p && mismatch === void 0) return;
  const repair = await repairHint(root, audit.file, manifest?.file);
  if (p) {
    throw new InputError(`the audit log of ${model} is broken: ${p.message}`, {
      location: { file: audit.file, ...p.line !== void 0 ? { line: p.line } : {} },
      hint: repair ?? "run `modelgate audit verify` to see every problem; restore the log from git history (git log -- <log>) before making new decisions"
    });
  }
  throw new InputError(`${model}: ${mismatch} (${audit.file} and ${manifest.file} disagree)`, {
    location: { file: manifest.file },
    hint: repair ?? "a change was made without its record: commit it and run `modelgate record` (or revert it); `modelgate audit verify` shows details"
  });
}
async function repairHint(root, log, manifest) {
  const dirty = await uncommittedPaths(root, manifest ? [log, manifest] : [log]).catch(() => []);
  const logChange = dirty.find((d) => d.path === log);
  if (!logChange || dirty.some((d) => d.path === manifest)) return void 0;
  const discard = logChange.tracked ? `git checkout HEAD -- ${log}` : `rm ${log}`;
  return `${log} has changes git does not have (a modelgate run interrupted between its two writes, or an edit): discard them (${discard}), check with \`modelgate audit verify\`, and re-run the command`;
}
async function assertCommitted(root, files) {
  const dirty = (await uncommittedPaths(root, files)).filter((p) => !isTempFile(p.path));
  if (dirty.length === 0) return;
  const paths = dirty.map((d) => d.path);
  const tracked = dirty.filter((d) => d.tracked).map((d) => d.path);
  const created = dirty.filter((d) => !d.tracked).map((d) => d.path);
  const discard = [tracked.length ? `git checkout HEAD -- ${tracked.join(" ")}` : "", created.length ? `rm ${created.join(" ")}` : ""].filter(Boolean).join(" && ");
  throw new InputError(`${paths.join(", ")} ${paths.length === 1 ? "has" : "have"} changes that are not committed`, {
    hint: `--commit and --push build only on committed decisions (an interrupted modelgate run leaves its writes uncommitted): run \`modelgate audit verify\`, then commit them (git add ${paths.join(" ")} && git commit) or discard them (${discard}), and re-run`
  });
}
async function applyPlan(opts, cur, plan) {
  const file = manifestPath(cur.layout, plan.model);
  const next = loadManifest(plan.text, file, { singleProduction: false });
  const transitions = deriveTransitions(plan.model, cur.manifest?.manifest, next.manifest).map((t) => plan.via && t.version === plan.primary && t.kind !== "remove" ? { ...t, via: plan.via } : t).sort((a, b) => Number(b.version === plan.primary) - Number(a.version === plan.primary));
  if (transitions.length === 0) throw new InputError(`nothing to change: ${plan.subject} is already the case`);
  const actor = await resolveActor(cur.root, opts.actor, opts.env);
  const deps = {
    root: cur.root,
    layout: cur.layout,
    base: cur.work,
    head: cur.work,
    policies: cur.policies,
    now: opts.now,
    approvals: { kind: "actor", actor },
    env: opts.env,
    ...opts.resolveTeam ? { resolveTeam: opts.resolveTeam } : {},
    ...opts.onProgress ? { onProgress: opts.onProgress } : {}
  };
  const runs = new RunCache(opts.env);
  const results = [];
  const faults = [];
  for (const t of transitions) {
    const j = await judge(deps, runs, t, next, cur.manifest, { refuseUnsafePaths: true });
    results.push(j.result);
    faults.push(...j.faults);
    if (faults.length) break;
  }
  const judged = outcome(results, [], faults);
  if (exitCodeOf(judged) !== 0 || opts.dryRun) return { result: { ...judged, written: false, records: [] } };
  const records = await sealRecords(opts, cur, plan, next, results, actor);
  const log = auditPath(cur.layout, plan.model);
  crashPoint("before-write");
  const logWrite = await appendRecords(join(cur.root, log), records);
  const manifestWrite = await writeFileAtomic(join(cur.root, file), plan.text).catch(async (err) => {
    throw await takeBack(cur.root, [], [logWrite], err);
  });
  crashPoint("before-commit");
  return {
    result: { ...judged, written: true, records },
    change: { files: [file, log, ...plan.files ?? []], message: commitMessage(records, opts.reason), writes: [logWrite, manifestWrite] }
  };
}
async function sealRecords(opts, cur, plan, next, results, actor) {
  const runUrl = ciRunUrl(opts.env);
  const fields = changeRecords(
    {
      time: opts.now.toISOString(),
      actor,
      model: plan.model,
      manifest: next.manifest,
      before: cur.manifest?.manifest,
      reason: opts.reason,
      policy: await policyDigest(cur.trusted, selectPolicies(cur.policies, plan.model)),
      source: {
        ...opts.source ?? {},
        ...opts.source?.approvals ? {} : { approvals: [actor] },
        ...runUrl && !opts.source?.run_url ? { run_url: runUrl } : {}
      }
    },
    results,
    plan.actionOf,
    removedAliases(cur.manifest?.manifest, next.manifest)
  );
  return sealChain(fields, cur.audit?.last ? { seq: cur.audit.last.seq, hash: cur.audit.last.hash } : void 0);
}

export {
  changeRecords,
  stageAction,
  sealChain,
  policyDigest,
  commitMessage,
  resolveActor,
  ciRunUrl,
  readCurrent,
  assertCommitted,
  applyPlan
};
