import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  changedFiles,
  commitTime
} from "./chunk-W7Z66SK3.js";
import {
  require_picomatch,
  selectPolicies
} from "./chunk-S5WV7FJK.js";
import {
  evalBudgetMs,
  outOfTime,
  outOfTimeFault,
  withinBudget
} from "./chunk-OXAEU5UG.js";
import {
  GitState,
  deriveTransitions,
  isGated,
  removedAliases
} from "./chunk-ECHALH7R.js";
import {
  repoRoot
} from "./chunk-5ZHK5UEQ.js";
import {
  LoaderFault,
  MAX_TAG_VALUE_CHARS,
  RunCache,
  buildContext,
  compareWithManifest,
  plainRun,
  readAuditState,
  serverArtifacts,
  versionEvidence
} from "./chunk-WVHT4QIA.js";
import {
  git,
  gitEnv
} from "./chunk-SO4SZRZT.js";
import {
  CONFIG_FILE,
  WorktreeState,
  assertPlainLayout,
  assertPlainRegistryFile,
  auditPath,
  compileTagPattern,
  isRegExp,
  listModels,
  modelOfAuditPath,
  modelOfPath,
  readLayout,
  readManifest,
  readPolicies,
  require_ms
} from "./chunk-27FDAS2B.js";
import {
  isRemoteUri,
  normalizeRepoPath
} from "./chunk-JOPA73JY.js";
import {
  EnvironmentError,
  InputError,
  NotFoundError,
  UnsafePathError,
  errorSummary
} from "./chunk-RTQ2UXCO.js";
import {
  __toESM
} from "./chunk-CCN2QAD7.js";

// src/policy/enforcement.ts
var import_picomatch = __toESM(require_picomatch(), 1);
var ROLLBACK_ENFORCED = /* @__PURE__ */ new Set(["artifact.exists", "artifact.digest", "signature.compatible", "retention.archived", "approvals.required"]);
var idMatchers = /* @__PURE__ */ new Map();
var SLASH = "\u2044";
function idMatches(pattern, id2) {
  if (pattern === id2) return true;
  let m = idMatchers.get(pattern);
  if (!m) {
    const compiled = (0, import_picomatch.default)(pattern.replaceAll("/", SLASH), { dot: true });
    m = (x) => compiled(x.replaceAll("/", SLASH));
    idMatchers.set(pattern, m);
  }
  return m(id2);
}
var modelMatchers = /* @__PURE__ */ new Map();
function modelMatches(glob, model) {
  let m = modelMatchers.get(glob);
  if (!m) {
    m = (0, import_picomatch.default)(glob, { dot: true });
    modelMatchers.set(glob, m);
  }
  return m(model);
}
function specificity(pattern) {
  return pattern.replace(/[*?[\]{}()!+@]/g, "").length;
}
function overrideFor(policy, id2) {
  const overrides = policy.doc.enforcement?.overrides ?? {};
  if (Object.hasOwn(overrides, id2)) return overrides[id2];
  let best;
  for (const [pattern, level] of Object.entries(overrides)) {
    if (!idMatches(pattern, id2)) continue;
    const score = specificity(pattern);
    if (!best || score > best.score || score === best.score && level === "deny") best = { score, level };
  }
  return best?.level;
}
function levelFor(policy, id2) {
  return overrideFor(policy, id2) ?? policy.doc.enforcement?.default ?? "deny";
}
function sharers(policies, sharedBy) {
  return sharedBy === void 0 ? policies : policies.filter((p) => sharedBy.includes(p.file));
}
function strictest(policies, level, fallback) {
  const levels = policies.map((p) => ({ level: level(p), policy: p.file }));
  return levels.find((l) => l.level === "deny") ?? levels[0] ?? { level: fallback };
}
function waiverExpiry(expires) {
  const text = expires instanceof Date ? expires.toISOString().slice(0, 10) : String(expires);
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const start = new Date(Date.UTC(y, m - 1, d));
    if (start.getUTCFullYear() !== y || start.getUTCMonth() !== m - 1 || start.getUTCDate() !== d) return void 0;
    return new Date(Date.UTC(y, m - 1, d + 1));
  }
  const t = Date.parse(text);
  return Number.isNaN(t) ? void 0 : new Date(t);
}
function isLive(w, now) {
  const end = waiverExpiry(w.expires);
  return end !== void 0 && now.getTime() < end.getTime();
}
function waiverMatches(w, id2, scope) {
  if (!idMatches(w.check, id2)) return false;
  if (w.model !== void 0 && !modelMatches(w.model, scope.model)) return false;
  if (w.version !== void 0 && w.version !== scope.version) return false;
  return true;
}
function waiverInfo(w, flags) {
  return {
    reason: w.reason,
    expires: expiresText(w.expires),
    ...w.approvedBy !== void 0 ? { approvedBy: w.approvedBy } : {},
    ...flags.expired ? { expired: true } : {},
    ...flags.unused ? { unused: true } : {}
  };
}
function expiresText(expires) {
  return expires instanceof Date ? expires.toISOString().slice(0, 10) : String(expires);
}
function applyEnforcement(raw, scope) {
  const waivers = scope.policies.flatMap((p) => p.doc.waivers ?? []);
  const byFile = new Map(scope.policies.map((p) => [p.file, p]));
  return raw.map((check) => {
    const owner = check.policy !== void 0 ? byFile.get(check.policy) : void 0;
    const decided = owner ? { level: levelFor(owner, check.id), policy: owner.file } : check.policy !== void 0 ? { level: "deny", policy: check.policy } : strictest(sharers(scope.policies, check.sharedBy), (p) => levelFor(p, check.id), "deny");
    let level = decided.level;
    if (check.status === "fail" && scope.via === "rollback" && !ROLLBACK_ENFORCED.has(check.id)) level = "warn";
    const status = check.status === "fail" && level === "warn" ? "warn" : check.status;
    const result = {
      id: check.id,
      status,
      level,
      message: check.message,
      ...check.actual !== void 0 ? { actual: check.actual } : {},
      ...check.expected !== void 0 ? { expected: check.expected } : {},
      ...check.baseline !== void 0 ? { baseline: check.baseline } : {},
      ...decided.policy !== void 0 ? { policy: decided.policy } : {}
    };
    return applyWaivers(result, waivers, scope);
  });
}
function applyWaivers(result, waivers, scope) {
  const matching = waivers.filter((w) => waiverMatches(w, result.id, scope));
  if (matching.length === 0) return result;
  const live = matching.find((w) => isLive(w, scope.now));
  if (result.status === "fail" || result.status === "warn") {
    if (live) return { ...result, status: "waived", waiver: waiverInfo(live, {}) };
    const expired = latestExpired(matching);
    return { ...result, message: `${result.message}; waiver expired ${expiresText(expired.expires)}`, waiver: waiverInfo(expired, { expired: true }) };
  }
  return live ? { ...result, waiver: waiverInfo(live, { unused: true }) } : result;
}
function latestExpired(waivers) {
  const end = (w) => waiverExpiry(w.expires)?.getTime() ?? -Infinity;
  return waivers.reduce((a, b) => end(b) > end(a) ? b : a);
}
function policyUnchangedCheck(changedFiles2, policies) {
  const id2 = "policy.unchanged";
  const files = [...changedFiles2].sort();
  const denying = policies.find((p) => overrideFor(p, id2) === "deny");
  const level = denying ? "deny" : "warn";
  return {
    id: id2,
    status: level === "deny" ? "fail" : "warn",
    level,
    message: `this change edits policy files (${files.join(", ")}); the base policies judged this change, and the new ones apply only after it is merged`,
    actual: files,
    ...denying ? { policy: denying.file } : {}
  };
}

// src/policy/checks/input.ts
var Evidence = class {
  metrics = {};
  baselineVersion;
  baselineMetrics = {};
  metric(name, value) {
    if (!(name in this.metrics)) this.metrics[name] = value;
  }
  /** Only one baseline version is kept (the first judged against); others are in the checks. */
  baseline(version, name, value) {
    if (this.baselineVersion === void 0) this.baselineVersion = version;
    if (this.baselineVersion !== version) return;
    if (!(name in this.baselineMetrics)) this.baselineMetrics[name] = value;
  }
  toResult() {
    const hasMetrics = Object.keys(this.metrics).length > 0;
    if (!hasMetrics && this.baselineVersion === void 0) return void 0;
    return {
      metrics: { ...this.metrics },
      ...this.baselineVersion !== void 0 ? { baseline: { version: this.baselineVersion, metrics: { ...this.baselineMetrics } } } : {}
    };
  }
};
function v(version) {
  return `v${version}`;
}

// src/policy/checks/sources.ts
async function capture(load, refuseUnsafePaths, faults) {
  try {
    return { ok: true, value: await load() };
  } catch (thrown) {
    const err = thrown instanceof LoaderFault ? thrown.fault : thrown;
    if (thrown instanceof LoaderFault) faults.add(thrown.fault);
    if (refuseUnsafePaths && err instanceof UnsafePathError) throw err;
    return { ok: false, message: errorSummary(err), notFound: err instanceof NotFoundError };
  }
}
async function environmentFaults(p) {
  try {
    return await p;
  } catch (err) {
    throw err instanceof EnvironmentError ? new LoaderFault(err) : err;
  }
}
var Sources = class {
  constructor(ctx) {
    this.ctx = ctx;
    this.strict = ctx.refuseUnsafePaths === true;
  }
  ctx;
  runs = /* @__PURE__ */ new Map();
  baselines = /* @__PURE__ */ new Map();
  baselineRuns = /* @__PURE__ */ new Map();
  artifacts = /* @__PURE__ */ new Map();
  server = /* @__PURE__ */ new Map();
  entered = /* @__PURE__ */ new Map();
  archived = /* @__PURE__ */ new Map();
  teams = /* @__PURE__ */ new Map();
  strict;
  met = /* @__PURE__ */ new Set();
  /** The environment failures the loaders met (LoaderFault), first first. */
  faults() {
    return [...this.met];
  }
  memo(cache, key, load) {
    let p = cache.get(key);
    if (!p) {
      p = capture(load, this.strict, this.met);
      cache.set(key, p);
    }
    return p;
  }
  /** The run of the version being judged. */
  run() {
    return this.memo(this.runs, "subject", () => this.ctx.run());
  }
  /** The run, if some check has already read it successfully (for lineage): no new I/O. */
  async runIfRead() {
    const p = this.runs.get("subject");
    if (!p) return void 0;
    const r = await p;
    return r.ok ? r.value : void 0;
  }
  /**
   * One value of a run read (params, tags and metrics are read by key, when a check asks),
   * its failure captured like a loader's: a value past a limit fails the check that needed it.
   */
  value(values, key) {
    return capture(() => environmentFaults(values.get(key)), this.strict, this.met);
  }
  /** The keys a run has of one kind (metric globs), without reading values. */
  keys(values) {
    return capture(() => environmentFaults(values.keys()), this.strict, this.met);
  }
  /** Every value of the run (run.source compares the whole snapshot). */
  plain(run2) {
    return capture(() => environmentFaults(plainRun(run2)), this.strict, this.met);
  }
  /** The version in a stage or alias in the BASE state. */
  baseline(target) {
    return this.memo(this.baselines, target, () => this.ctx.baseline(target));
  }
  baselineRun(info) {
    return this.memo(this.baselineRuns, info.version.version, () => info.run());
  }
  serverRun(run2) {
    const ask = this.ctx.serverRun;
    return this.memo(this.server, "subject", () => ask ? ask(run2) : Promise.reject(new Error("no tracking server is reachable from here")));
  }
  artifact() {
    return this.memo(this.artifacts, "subject", () => this.ctx.artifact());
  }
  enteredStageAt() {
    return this.memo(this.entered, "subject", () => this.ctx.enteredStageAt());
  }
  archivedAt(version) {
    return this.memo(this.archived, version, () => this.ctx.archivedAt(version));
  }
  team(team) {
    return this.memo(this.teams, team, () => this.ctx.resolveTeam(team));
  }
};
function runUnavailable(loaded) {
  return loaded.notFound ? "run not found" : loaded.message;
}

// src/policy/checks/verdict.ts
var COULD_NOT_EVALUATE = "could not evaluate: ";
function pass(id2, message, extra = {}) {
  return { id: id2, status: "pass", message, ...extra };
}
function fail(id2, message, extra = {}) {
  return { id: id2, status: "fail", message, ...extra };
}
function cannotEvaluate(id2, why, extra = {}) {
  return fail(id2, COULD_NOT_EVALUATE + why, extra);
}
function skipped(id2, message, extra = {}) {
  return { id: id2, status: "skipped", message, ...extra };
}
function num(n) {
  if (Number.isNaN(n)) return "NaN";
  return String(n);
}
function derived(n) {
  if (!Number.isFinite(n)) return num(n);
  return String(Number(n.toPrecision(12)));
}
function listing(items) {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

// src/policy/checks/coverage.ts
var COVERED = "policy.covered";
function policyCovered(t, target, applicable) {
  const files = applicable.map((p) => p.file);
  if (files.length > 0) return pass(COVERED, `${t.model} is governed by ${files.join(", ")}`, { actual: files });
  if (target === "None" || target === "Archived") {
    return pass(COVERED, `no policy governs ${t.model}; entering ${target} needs none`, { actual: [] });
  }
  return fail(
    COVERED,
    `no policy governs ${t.model}; an ungoverned model is never promoted (add a policy whose models: globs match ${t.model})`,
    { actual: [] }
  );
}

// src/policy/checks/transitionGraph.ts
var ALLOWED = "transition.allowed";
var SINGLE_PRODUCTION = "transition.single-production";
var DEFAULT_FROM = {
  None: [],
  Staging: ["None", "Archived"],
  Production: ["Staging"],
  Archived: ["Staging", "Production"]
};
var DEFAULT_ALIAS_FROM = ["Staging", "Production"];
var ROLLBACK_FROM = ["Staging", "Production", "Archived"];
function arrow(from, to) {
  return `${from} \u2192 ${to}`;
}
function transitionAllowed(t, target, applicable) {
  if (t.via === "drift") return target.startsWith("@") ? aliasStands(t.version, t.from ?? "None", target, applicable, "is in") : [];
  const from = t.from ?? "None";
  const expected = (allowed) => ({ actual: from, expected: [...allowed] });
  if (from === target) {
    return [pass(ALLOWED, t.from === null ? `${v(t.version)} is registered in ${target}` : `${v(t.version)} stays in ${target}`, { actual: from })];
  }
  if (t.via === "rollback") {
    return [
      ROLLBACK_FROM.includes(from) ? pass(ALLOWED, `rollback: ${arrow(from, target)} (rollbacks ignore from lists)`, expected(ROLLBACK_FROM)) : fail(ALLOWED, `${v(t.version)} is in ${from} and never served; a rollback can only put back a version from ${listing(ROLLBACK_FROM)}`, expected(ROLLBACK_FROM))
    ];
  }
  const ruled = applicable.filter((p) => p.doc.rules?.[target]?.from !== void 0);
  const unruled = applicable.filter((p) => p.doc.rules?.[target]?.from === void 0);
  const out = ruled.map((p) => {
    const allowed = p.doc.rules?.[target]?.from ?? [];
    const check = allowed.includes(from) ? pass(ALLOWED, `${arrow(from, target)} is allowed (rules.${target}.from: ${allowed.join(", ")})`, expected(allowed)) : fail(
      ALLOWED,
      `${arrow(from, target)} is not allowed: ${target} may only be entered from ${allowed.length ? listing(allowed) : "nowhere"} (rules.${target}.from)`,
      expected(allowed)
    );
    return { ...check, policy: p.file };
  });
  if (unruled.length > 0 || applicable.length === 0) {
    out.push({ ...defaultGraph(t, from, target), sharedBy: unruled.map((p) => p.file) });
  }
  return out;
}
function defaultGraph(t, from, target) {
  const allowed = target.startsWith("@") ? DEFAULT_ALIAS_FROM : DEFAULT_FROM[target];
  const extra = { actual: from, expected: [...allowed] };
  if (allowed.includes(from)) return pass(ALLOWED, `${arrow(from, target)} is allowed by the default transition graph`, extra);
  if (target.startsWith("@")) {
    return fail(ALLOWED, `${target} may only point at a version in ${listing(allowed)}; ${v(t.version)} is in ${from}`, extra);
  }
  if (from === "None" && target === "Production") {
    return fail(
      ALLOWED,
      `${arrow(from, target)} skips Staging: promote to Staging first, or allow it explicitly with rules.Production.from: [None, Staging]`,
      extra
    );
  }
  if (from === "Archived" && target === "Production") {
    return fail(ALLOWED, `${arrow(from, target)} is only allowed by \`modelgate rollback\``, extra);
  }
  const hint = allowed.length ? `${target} is entered from ${listing(allowed)}` : `nothing moves back to ${target}`;
  return fail(ALLOWED, `${arrow(from, target)} is not in the default transition graph (${hint}); a policy may allow it with rules.${target}.from`, extra);
}
function aliasFrom(alias, applicable) {
  return applicable.flatMap((p) => {
    const allowed = p.doc.rules?.[alias]?.from;
    return allowed === void 0 ? [] : [{ allowed, policy: p.file }];
  });
}
function aliasRuleRefusing(alias, stage, applicable) {
  return aliasFrom(alias, applicable).find(({ allowed }) => !allowed.includes(stage))?.allowed;
}
function aliasStands(version, stage, alias, applicable, verb) {
  const fix = verb === "is in" ? `point ${alias} at a version its rule allows` : `move ${alias} in the same change (promote \u2026 --alias ${alias.slice(1)}) or remove it`;
  return aliasFrom(alias, applicable).map(({ allowed, policy }) => {
    const rule = ` (rules.${alias}.from: ${allowed.join(", ") || "nothing"})`;
    const extra = { actual: stage, expected: [...allowed] };
    const check = allowed.includes(stage) ? pass(ALLOWED, `${alias} points at ${v(version)}, which ${verb} ${stage}${rule}`, extra) : fail(ALLOWED, `${alias} may only point at a version in ${allowed.length ? listing(allowed) : "no stage"}${rule}; ${v(version)} ${verb} ${stage}: ${fix}`, extra);
    return { ...check, policy };
  });
}
function aliasesKept(t, head, base, applicable) {
  if (t.kind !== "stage" || t.via === "drift" || t.to === null || t.to.startsWith("@")) return [];
  const stage = t.to;
  const kept = Object.entries(head.manifest.aliases).filter(([alias, version]) => version === t.version && base?.manifest.aliases[alias] === version);
  return kept.flatMap(([alias]) => aliasStands(t.version, stage, `@${alias}`, applicable, "would be in"));
}
function removalAllowed(t) {
  const from = t.from;
  if (from === "Production" || from === "Staging") {
    return fail(ALLOWED, `removing ${v(t.version)} while it is in ${from} is not allowed; archive it first`, { actual: from });
  }
  return pass(ALLOWED, `${v(t.version)} was in ${from ?? "None"}; it may be removed`, { actual: from });
}
function singleProduction(t, head) {
  if (t.to !== "Production") return [];
  const inProduction = head.manifest.versions.filter((x) => x.stage === "Production").map((x) => x.version).sort((a, b) => a - b);
  if (inProduction.length < 2) {
    return [pass(SINGLE_PRODUCTION, `${v(t.version)} is the only version in Production`, { actual: inProduction })];
  }
  const others = inProduction.filter((n) => n !== t.version).map(v);
  const names = inProduction.map(v);
  return [
    fail(
      SINGLE_PRODUCTION,
      `${listing(names)} are ${names.length > 2 ? "all" : "both"} in Production; archive ${listing(others)} in the same change`,
      { actual: inProduction, expected: 1 }
    )
  ];
}

// src/policy/checks/runSource.ts
var ID = "run.source";
var MAX_NAMED = 10;
async function runSourceCheck(loaded, input) {
  if (!loaded.ok) return cannotEvaluate(ID, runUnavailable(loaded));
  const run2 = loaded.value;
  if (!run2.source) {
    return fail(ID, `run ${run2.ref} has no source: it is not a snapshot of a tracking-server run`, {
      expected: "a snapshot taken by register --run runs:/<run_id> or models:/<name>/<version>"
    });
  }
  const server = await input.sources.serverRun(run2);
  if (!server.ok) return cannotEvaluate(ID, server.message);
  const snapshot = await input.sources.plain(run2);
  if (!snapshot.ok) return cannotEvaluate(ID, snapshot.message);
  const diffs = sourceDifferences(snapshot.value, server.value);
  const where = `${run2.source.trackingUri} (run ${run2.source.runId})`;
  if (diffs.length === 0) return pass(ID, `the snapshot ${run2.ref} matches the run on ${where}`, { actual: run2.source.runId });
  const named = diffs.slice(0, MAX_NAMED).join("; ");
  const more = diffs.length > MAX_NAMED ? `; and ${diffs.length - MAX_NAMED} more` : "";
  return fail(ID, `the snapshot ${run2.ref} differs from the run on ${where}: ${named}${more}`, { actual: `${diffs.length} difference${diffs.length === 1 ? "" : "s"}` });
}
function sourceDifferences(snap, server) {
  const out = [];
  if ((snap.status ?? "") !== (server.status ?? "")) out.push(`status is ${server.status ?? "unset"} on the server, ${snap.status ?? "unset"} in the snapshot`);
  out.push(...mapDifferences("param", snap.params, server.params, (v2) => `'${v2}'`));
  out.push(...mapDifferences("tag", snap.tags, server.tags, (v2) => `'${v2}'`));
  out.push(...mapDifferences("metric", snap.metrics, server.metrics, (v2) => String(v2), sameNumber));
  const a = signatureText(snap.signature);
  const b = signatureText(server.signature);
  if (a !== b) out.push(`the signature is ${describe(server.signature)} on the server, ${describe(snap.signature)} in the snapshot`);
  return out;
}
function mapDifferences(what, snap, server, show, same = (a, b) => a === b) {
  const out = [];
  const keys = [.../* @__PURE__ */ new Set([...Object.keys(snap), ...Object.keys(server)])].sort();
  for (const k of keys) {
    const inSnap = Object.hasOwn(snap, k);
    const inServer = Object.hasOwn(server, k);
    if (inSnap && !inServer) out.push(`${what} ${k} is not on the server (${show(snap[k])} in the snapshot)`);
    else if (!inSnap && inServer) out.push(`${what} ${k} is ${show(server[k])} on the server, absent from the snapshot`);
    else if (!same(snap[k], server[k])) out.push(`${k} is ${show(server[k])} on the server, ${show(snap[k])} in the snapshot`);
  }
  return out;
}
function sameNumber(a, b) {
  return a === b || Number.isNaN(a) && Number.isNaN(b);
}
function signatureText(s) {
  return s.state === "found" ? JSON.stringify(s.signature) : s.state === "absent" ? "absent" : `${s.state}`;
}
function describe(s) {
  if (s.state !== "found") return s.state === "absent" ? "absent" : s.state;
  const cols = (s.signature.inputs ?? []).map((c) => c.name ?? (c.kind === "tensor" ? c.dtype : "?"));
  return `inputs (${cols.join(", ")})`;
}

// src/policy/checks/runMetadata.ts
function needsRun(rules) {
  return Boolean(
    rules.run?.status !== void 0 || rules.run?.source !== void 0 || rules.tags?.required?.length || Object.keys(rules.tags?.match ?? {}).length || rules.params?.required?.length || rules.signature?.required || rules.signature?.compatibleWith !== void 0 || rules.metrics?.length
  );
}
async function runChecks(input) {
  const { rules } = input;
  if (!needsRun(rules)) return [];
  const loaded = await input.sources.run();
  const ref = input.subject?.run ?? `of v${input.transition.version}`;
  const out = [runExists(loaded, ref)];
  const statuses = rules.run?.status === void 0 ? void 0 : [].concat(rules.run.status);
  if (statuses) out.push(withRun(loaded, "run.status", (run2) => runStatus(run2, statuses)));
  if (rules.run?.source === "verified") out.push(await runSourceCheck(loaded, input));
  for (const key of rules.tags?.required ?? []) {
    const id2 = `tag:${key}.required`;
    out.push(await withValue(input, loaded, id2, (run2) => run2.tags, key, (value) => required(id2, "tag", key, value)));
  }
  for (const [key, pattern] of Object.entries(rules.tags?.match ?? {})) {
    const id2 = `tag:${key}.match`;
    const re = compileTagPattern(pattern);
    if (re instanceof Error) {
      const why = isRegExp(pattern) ? "cannot run in linear time" : "is not a valid regular expression";
      out.push(withRun(loaded, id2, () => cannotEvaluate(id2, `tags.match for ${key} ${why}: ${re.message}`, { expected: pattern })));
      continue;
    }
    out.push(await withValue(input, loaded, id2, (run2) => run2.tags, key, (value) => tagMatch(key, pattern, re, value)));
  }
  for (const key of rules.params?.required ?? []) {
    const id2 = `param:${key}.required`;
    out.push(await withValue(input, loaded, id2, (run2) => run2.params, key, (value) => required(id2, "param", key, value)));
  }
  return out;
}
async function withValue(input, loaded, id2, kind, key, judge2) {
  if (!loaded.ok) return cannotEvaluate(id2, runUnavailable(loaded));
  const value = await input.sources.value(kind(loaded.value), key);
  return value.ok ? judge2(value.value) : cannotEvaluate(id2, value.message);
}
function withRun(loaded, id2, judge2) {
  return loaded.ok ? judge2(loaded.value) : cannotEvaluate(id2, runUnavailable(loaded));
}
function runExists(loaded, ref) {
  const id2 = "run.exists";
  if (!loaded.ok) return loaded.notFound ? fail(id2, `run ${ref} not found`) : cannotEvaluate(id2, loaded.message);
  const run2 = loaded.value;
  if (run2.deleted) return fail(id2, `run ${ref} (${run2.runId}) is marked deleted in its tracker; restore it or register another run`);
  return pass(id2, `run ${ref} (${run2.runId}) was read`, { actual: run2.runId });
}
function runStatus(run2, allowed) {
  const id2 = "run.status";
  const expected = allowed.length === 1 ? allowed[0] : allowed;
  if (run2.status === void 0) {
    return fail(
      id2,
      `the run records no status (expected ${allowed.join(" or ")}); W&B local runs do not record one: export a portable run record with "status", or drop run.status from the rule`,
      { expected }
    );
  }
  const ok = allowed.some((s) => s.toUpperCase() === run2.status);
  return ok ? pass(id2, `run status is ${run2.status}`, { actual: run2.status, expected }) : fail(id2, `run status is ${run2.status}, expected ${allowed.join(" or ")}`, { actual: run2.status, expected });
}
function required(id2, kind, key, value) {
  if (value === void 0) return fail(id2, `${kind} ${key} is missing`);
  if (value.trim() === "") return fail(id2, `${kind} ${key} is empty`, { actual: value });
  return pass(id2, `${kind} ${key} is ${quote(value)}`, { actual: value });
}
function tagMatch(key, pattern, re, value) {
  const id2 = `tag:${key}.match`;
  if (value === void 0) return fail(id2, `tag ${key} is missing (it must match ${pattern})`, { expected: pattern });
  if (value.length > MAX_TAG_VALUE_CHARS) {
    return cannotEvaluate(id2, `tag ${key} is ${value.length} characters, longer than MLflow's ${MAX_TAG_VALUE_CHARS.toLocaleString("en-US")}-character limit for a tag value`, { expected: pattern });
  }
  return re.test(value) ? pass(id2, `tag ${key} ${quote(value)} matches ${pattern}`, { actual: value, expected: pattern }) : fail(id2, `tag ${key} ${quote(value)} does not match ${pattern}`, { actual: value, expected: pattern });
}
function quote(value) {
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return JSON.stringify(shown);
}

// src/policy/checks/signatureCompatibility.ts
var WIDENINGS = /* @__PURE__ */ new Set(["integer\u2192long", "integer\u2192double", "long\u2192double", "float\u2192double"]);
function compareInputs(before, after) {
  const pairs = pair(before, after);
  const breaking = [];
  const added = [];
  for (const { label, old, now } of pairs) {
    if (old && !now) breaking.push({ input: label, change: "removed", detail: "removed" });
    else if (!old && now) {
      if (isRequired(now)) breaking.push({ input: label, change: "new-required", detail: "new required input" });
      else added.push(label);
    } else if (old && now) breaking.push(...compareSpec(label, old, now));
  }
  return { compatible: breaking.length === 0, breaking, added };
}
function describeBreaking(changes) {
  return changes.map((c) => `${c.input}: ${c.detail}`).join("; ");
}
function pair(before, after) {
  const named = (specs) => specs.every((s) => s.name !== void 0) && new Set(specs.map((s) => s.name)).size === specs.length;
  if (named(before) && named(after)) {
    const byName = new Map(after.map((s) => [s.name, s]));
    const out2 = before.map((old) => ({ label: old.name, old, now: byName.get(old.name) }));
    const known = new Set(before.map((s) => s.name));
    for (const now of after) if (!known.has(now.name)) out2.push({ label: now.name, old: void 0, now });
    return out2;
  }
  const out = [];
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    const old = before[i];
    const now = after[i];
    out.push({ label: (now ?? old)?.name ?? `#${i + 1}`, old, now });
  }
  return out;
}
function isRequired(spec) {
  return spec.kind === "tensor" ? true : spec.required;
}
function compareSpec(label, old, now) {
  if (old.kind !== now.kind) {
    return [{ input: label, change: "kind", detail: `changed from a ${old.kind} to a ${now.kind}` }];
  }
  if (old.kind === "tensor") return compareTensor(label, old, now);
  return compareColumn(label, old, now);
}
function compareColumn(label, old, now) {
  const out = typeChanges(old.type, now.type).map((detail) => ({ input: label, change: "type", detail }));
  if (!old.required && now.required) out.push({ input: label, change: "became-required", detail: "was optional, is now required" });
  return out;
}
function typeName(t) {
  if (typeof t === "string") return t;
  if (t.type === "array") return `array<${typeName(t.items)}>`;
  if (t.type === "map") return `map<${typeName(t.values)}>`;
  return "object";
}
function typeChanges(old, now, at = "") {
  const where = at ? ` at ${at}` : "";
  if (typeof old === "string" || typeof now === "string") {
    if (old === now || typeof old === "string" && typeof now === "string" && WIDENINGS.has(`${old}\u2192${now}`)) return [];
    return [`type changed ${typeName(old)} \u2192 ${typeName(now)}${where}`];
  }
  if (old.type !== now.type) return [`type changed ${typeName(old)} \u2192 ${typeName(now)}${where}`];
  if (old.type === "array" && now.type === "array") return typeChanges(old.items, now.items, `${at}[]`);
  if (old.type === "map" && now.type === "map") return typeChanges(old.values, now.values, `${at}{}`);
  if (old.type === "object" && now.type === "object") return objectChanges(old.properties, now.properties, at);
  return [];
}
function objectChanges(old, now, at) {
  const out = [];
  for (const [key, prop] of Object.entries(old)) {
    const path = at ? `${at}.${key}` : key;
    const next = Object.hasOwn(now, key) ? now[key] : void 0;
    if (!next) out.push(`property ${path} removed`);
    else {
      out.push(...typeChanges(prop.type, next.type, path));
      if (!prop.required && next.required) out.push(`property ${path} was optional, is now required`);
    }
  }
  for (const [key, prop] of Object.entries(now)) {
    if (!Object.hasOwn(old, key) && prop.required) out.push(`new required property ${at ? `${at}.${key}` : key}`);
  }
  return out;
}
function compareTensor(label, old, now) {
  const out = [];
  if (old.dtype !== now.dtype) out.push({ input: label, change: "dtype", detail: `dtype changed ${old.dtype} \u2192 ${now.dtype}` });
  const shape = (s) => `(${s.join(", ")})`;
  const fits = old.shape.length === now.shape.length && old.shape.every((d, i) => d === -1 || now.shape[i] === -1 || d === now.shape[i]);
  if (!fits) out.push({ input: label, change: "shape", detail: `shape changed ${shape(old.shape)} \u2192 ${shape(now.shape)}` });
  return out;
}

// src/policy/checks/signature.ts
var REQUIRED = "signature.required";
var COMPATIBLE = "signature.compatible";
async function signatureChecks(input) {
  const rule = input.rules.signature;
  if (!rule) return [];
  const out = [];
  if (rule.required) out.push(withRun(await input.sources.run(), REQUIRED, signatureRequired));
  if (rule.compatibleWith !== void 0) out.push(await signatureCompatible(input, rule.compatibleWith));
  return out;
}
function inputsOf(state) {
  switch (state.state) {
    case "found":
      if (state.signature.inputs && state.signature.inputs.length > 0) return { ok: true, inputs: state.signature.inputs };
      return { ok: false, state, why: `declares no inputs (${state.source})` };
    case "absent":
      return { ok: false, state, why: `is absent: ${state.source} has no signature` };
    case "unavailable":
      return { ok: false, state, why: `is unavailable: ${state.reason}` };
    case "invalid": {
      const what = state.error.startsWith(state.source) ? state.error : `${state.source}: ${state.error}`;
      return { ok: false, state, why: `is unreadable: ${what}` };
    }
  }
}
function unreadable(state) {
  return state.state === "unavailable" || state.state === "invalid";
}
function signatureRequired(run2) {
  const found = inputsOf(run2.signature);
  if (found.ok) return pass(REQUIRED, `the model declares ${found.inputs.length} input${found.inputs.length === 1 ? "" : "s"}`, { actual: found.inputs.length });
  if (unreadable(found.state)) return cannotEvaluate(REQUIRED, `the model signature ${found.why}`);
  return fail(REQUIRED, `no signature: the model signature ${found.why}; log the model with a signature (mlflow.models.infer_signature)`);
}
async function signatureCompatible(input, target) {
  const version = input.transition.version;
  const base = await input.sources.baseline(target);
  if (!base.ok) return cannotEvaluate(COMPATIBLE, `could not find the version in ${target}: ${base.message}`);
  if (!base.value) return pass(COMPATIBLE, `no version in ${target} to compare with`);
  const against = base.value.version.version;
  if (against === version) return pass(COMPATIBLE, `${v(version)} is itself the version in ${target}`);
  const own = await input.sources.run();
  if (!own.ok) return cannotEvaluate(COMPATIBLE, runUnavailable(own));
  const mine = inputsOf(own.value.signature);
  if (!mine.ok) {
    return unreadable(mine.state) ? cannotEvaluate(COMPATIBLE, `the signature of ${v(version)} ${mine.why}`) : fail(COMPATIBLE, `${v(version)} has no signature to compare with ${v(against)} (${target}): it ${mine.why}`);
  }
  const theirRun = await input.sources.baselineRun(base.value);
  if (!theirRun.ok) return cannotEvaluate(COMPATIBLE, `the run of ${v(against)} (${target}): ${runUnavailable(theirRun)}`);
  const theirs = inputsOf(theirRun.value.signature);
  if (!theirs.ok) {
    return unreadable(theirs.state) ? cannotEvaluate(COMPATIBLE, `the signature of ${v(against)} (${target}) ${theirs.why}`) : pass(COMPATIBLE, `${v(against)} (${target}) has no input signature; nothing to be compatible with`);
  }
  const result = compareInputs(theirs.inputs, mine.inputs);
  const extra = { expected: `compatible with ${v(against)} (${target})` };
  if (result.compatible) {
    const added = result.added.length ? `; new optional input${result.added.length === 1 ? "" : "s"}: ${result.added.join(", ")}` : "";
    return pass(COMPATIBLE, `inputs are compatible with ${v(against)} (${target})${added}`, extra);
  }
  return fail(COMPATIBLE, `inputs break compatibility with ${v(against)} (${target}): ${describeBreaking(result.breaking)}`, {
    ...extra,
    actual: result.breaking
  });
}

// src/policy/checks/metrics.ts
var import_picomatch2 = __toESM(require_picomatch(), 1);
var ABSOLUTE = ["min", "max"];
var RELATIVE = ["maxDecrease", "minIncrease", "maxRelDecrease", "minRelIncrease"];
async function metricChecks(input) {
  const rules = input.rules.metrics ?? [];
  if (rules.length === 0) return [];
  const loaded = await input.sources.run();
  const out = [];
  for (const rule of rules) out.push(...await metricRule(input, rule, loaded));
  return out;
}
function kindsOf(rule) {
  return [...ABSOLUTE, ...RELATIVE].filter((k) => rule[k] !== void 0);
}
var id = (name, kind) => `metric:${name}.${kind}`;
function isGlob(name) {
  return /[*?[]/.test(name);
}
var globs = /* @__PURE__ */ new Map();
function globMatcher(glob) {
  let m = globs.get(glob);
  if (!m) {
    m = (0, import_picomatch2.default)(glob, { dot: true });
    globs.set(glob, m);
  }
  return m;
}
async function metricRule(input, rule, loaded) {
  if (!loaded.ok) {
    const why = runUnavailable(loaded);
    return ["present", ...kindsOf(rule)].map((k) => cannotEvaluate(id(rule.name, k), why));
  }
  const metrics = loaded.value.metrics;
  const presentId = id(rule.name, "present");
  const cannot = (why, kinds = ["present", ...kindsOf(rule)]) => kinds.map((k) => cannotEvaluate(id(rule.name, k), why));
  if (isGlob(rule.name)) {
    const match = globMatcher(rule.name);
    const listed = await input.sources.keys(metrics);
    if (!listed.ok) return cannot(listed.message);
    const found = [];
    for (const name of listed.value.filter((n) => match(n)).sort()) found.push({ name, value: await input.sources.value(metrics, name) });
    const named = found.filter((f) => !f.value.ok || f.value.value !== void 0);
    if (named.length === 0) {
      return [
        rule.optional ? pass(presentId, `no metric matches ${rule.name} (optional)`, { actual: [] }) : fail(presentId, `no metric matches ${rule.name}`, { actual: [] })
      ];
    }
    const names = named.map((f) => f.name);
    const out = [pass(presentId, `${names.length} metric${names.length === 1 ? "" : "s"} match ${rule.name}`, { actual: names })];
    for (const { name, value: value2 } of named) {
      if (value2.ok) out.push(...await bounds(input, rule, name, value2.value));
      else out.push(...(kindsOf(rule).length ? kindsOf(rule) : ["present"]).map((k) => cannotEvaluate(id(name, k), value2.message)));
    }
    return out;
  }
  const read = await input.sources.value(metrics, rule.name);
  if (!read.ok) return cannot(read.message);
  const value = read.value;
  if (value === void 0) {
    return [rule.optional ? pass(presentId, `${rule.name} is not logged (optional)`) : fail(presentId, `${rule.name} is not logged by the run`)];
  }
  return [pass(presentId, `${rule.name} is logged`, { actual: actualOf(value) }), ...await bounds(input, rule, rule.name, value)];
}
async function bounds(input, rule, name, value) {
  input.evidence.metric(name, value);
  const out = [];
  if (rule.min !== void 0) out.push(absolute(id(name, "min"), name, value, rule.min, "min"));
  if (rule.max !== void 0) out.push(absolute(id(name, "max"), name, value, rule.max, "max"));
  const kinds = RELATIVE.filter((k) => rule[k] !== void 0);
  if (kinds.length) out.push(...await relative(input, rule, name, value, kinds));
  return out;
}
function actualOf(value) {
  return Number.isFinite(value) ? value : num(value);
}
function absolute(checkId, name, value, bound, kind) {
  const extra = { actual: actualOf(value), expected: bound };
  if (!Number.isFinite(value)) return fail(checkId, `${name} is ${num(value)}`, extra);
  if (kind === "min") {
    return value >= bound ? pass(checkId, `${name} ${num(value)} is at least ${num(bound)}`, extra) : fail(checkId, `${name} ${num(value)} is below ${num(bound)}`, extra);
  }
  return value <= bound ? pass(checkId, `${name} ${num(value)} is at most ${num(bound)}`, extra) : fail(checkId, `${name} ${num(value)} is above ${num(bound)}`, extra);
}
async function baselineValue(input, rule, name) {
  const target = rule.baseline;
  const t = input.transition;
  if (target === void 0) return { ok: false, verdict: (c) => cannotEvaluate(c, `a relative bound needs baseline: <Stage|@alias> in the metric rule for ${rule.name}`) };
  if (t.via === "rollback") {
    return { ok: false, verdict: (c) => skipped(c, `relative checks do not apply to a rollback (their baseline is the version being rolled back)`) };
  }
  const base = await input.sources.baseline(target);
  if (!base.ok) return { ok: false, verdict: (c) => cannotEvaluate(c, `could not find the version in ${target}: ${base.message}`) };
  if (!base.value) return { ok: false, verdict: (c) => skipped(c, `no ${target} version to compare with (first promotion)`) };
  const version = base.value.version.version;
  if (version === t.version) return { ok: false, verdict: (c) => skipped(c, `${v(version)} is itself the ${target} version; nothing to compare with`) };
  const label = `${v(version)} (${target})`;
  const run2 = await input.sources.baselineRun(base.value);
  if (!run2.ok) return { ok: false, verdict: (c) => cannotEvaluate(c, `the run of ${label}: ${runUnavailable(run2)}`) };
  const read = await input.sources.value(run2.value.metrics, name);
  if (!read.ok) return { ok: false, verdict: (c) => cannotEvaluate(c, `the run of ${label}: ${read.message}`) };
  const value = read.value;
  if (value === void 0) return { ok: false, verdict: (c) => cannotEvaluate(c, `${label} did not log ${name}`) };
  input.evidence.baseline(version, name, value);
  return { ok: true, version, value, label };
}
async function relative(input, rule, name, value, kinds) {
  const base = await baselineValue(input, rule, name);
  if (!base.ok) return kinds.map((k) => base.verdict(id(name, k)));
  const lower = rule.direction === "lower";
  return kinds.map((kind) => {
    const checkId = id(name, kind);
    const bound = rule[kind];
    const extra = { actual: actualOf(value), expected: bound, baseline: { version: base.version, value: base.value } };
    if (!Number.isFinite(value)) return fail(checkId, `${name} is ${num(value)}`, extra);
    if (!Number.isFinite(base.value)) return fail(checkId, `${name} of ${base.label} is ${num(base.value)}`, extra);
    const delta = lower ? base.value - value : value - base.value;
    const change = changeText(name, delta, lower, base);
    const scale = Math.max(Math.abs(value), Math.abs(base.value));
    switch (kind) {
      case "maxDecrease":
        return meets(delta, -bound, scale) ? pass(checkId, delta < 0 ? `${change}, within the ${num(bound)} allowed` : change, extra) : fail(checkId, `${change}, more than ${num(bound)} allowed`, extra);
      case "minIncrease":
        return meets(delta, bound, scale) ? pass(checkId, `${change}, at least the ${num(bound)} required`, extra) : fail(checkId, `${change}; an improvement of at least ${num(bound)} is required`, extra);
      case "maxRelDecrease":
      case "minRelIncrease": {
        if (base.value === 0) return cannotEvaluate(checkId, `${name} of ${base.label} is 0: a relative change cannot be computed`, extra);
        const rel = `${change} (${signedPercent((value - base.value) / Math.abs(base.value))})`;
        if (kind === "maxRelDecrease") {
          return meets(delta, -bound * Math.abs(base.value), scale) ? pass(checkId, `${rel}, within the ${percent(bound)} allowed`, extra) : fail(checkId, `${rel}, more than the ${percent(bound)} allowed`, extra);
        }
        return meets(delta, bound * Math.abs(base.value), scale) ? pass(checkId, `${rel}, at least the ${percent(bound)} required`, extra) : fail(checkId, `${rel}; an improvement of at least ${percent(bound)} is required`, extra);
      }
    }
  });
}
function meets(delta, bound, scale) {
  const tolerance = 16 * Number.EPSILON * Math.max(scale, Math.abs(bound));
  return delta >= bound - tolerance;
}
function changeText(name, delta, lower, base) {
  const from = `from ${v(base.version)} (${num(base.value)})`;
  if (delta === 0) return `${name} is unchanged ${from}`;
  const rawRise = lower ? delta < 0 : delta > 0;
  return `${name} ${rawRise ? "rose" : "fell"} ${derived(Math.abs(delta))} ${from}`;
}
function percent(x) {
  return `${derived(x * 100)}%`;
}
function signedPercent(x) {
  return `${x > 0 ? "+" : x < 0 ? "\u2212" : ""}${String(Number((Math.abs(x) * 100).toPrecision(3)))}%`;
}

// src/policy/checks/soak.ts
var import_ms = __toESM(require_ms(), 1);
var SOAK = "soak.minTimeInStage";
function parseDuration(text) {
  const n = (0, import_ms.default)(text);
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : void 0;
}
var UNITS = [
  ["d", 864e5],
  ["h", 36e5],
  ["m", 6e4],
  ["s", 1e3]
];
function humanDuration(msec) {
  let rest = Math.max(0, Math.floor(msec));
  const parts = [];
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || parts.length > 0) parts.push(`${n}${unit}`);
    if (parts.length === 2) break;
  }
  const shown = parts.filter((p, i) => i === 0 || !p.startsWith("0"));
  return shown.length ? shown.join(" ") : "0s";
}
async function soakCheck(input) {
  const text = input.rules.minTimeInStage;
  const t = input.transition;
  if (text === void 0 || t.via === "rollback" || t.via === "drift") return [];
  const required2 = parseDuration(text);
  if (required2 === void 0) return [cannotEvaluate(SOAK, `minTimeInStage ${JSON.stringify(text)} is not a duration (write e.g. 30m, 24h, 7d)`, { expected: text })];
  if (t.from === null) {
    return [fail(SOAK, `${v(t.version)} is new in this change: it has spent no time in any stage, less than the ${text} required`, { actual: "0s", expected: text })];
  }
  const stage = t.from;
  const entered = await input.sources.enteredStageAt();
  if (!entered.ok) return [cannotEvaluate(SOAK, entered.message, { expected: text })];
  if (!entered.value) return [cannotEvaluate(SOAK, `no record of when ${v(t.version)} entered ${stage}`, { expected: text })];
  const elapsed = input.now.getTime() - entered.value.getTime();
  const actual = humanDuration(elapsed);
  if (elapsed >= required2) {
    return [pass(SOAK, `${v(t.version)} has been in ${stage} for ${actual} (at least ${text} required)`, { actual, expected: text })];
  }
  const eligible = new Date(entered.value.getTime() + required2).toISOString();
  return [fail(SOAK, `${v(t.version)} has been in ${stage} for ${actual}, less than the ${text} required (eligible from ${eligible})`, { actual, expected: text })];
}

// src/policy/checks/approvals.ts
var APPROVALS = "approvals.required";
function isTeam(entry) {
  return entry.includes("/");
}
var login = (s) => s.replace(/^@/, "").toLowerCase();
async function approvalsCheck(input) {
  const rule = input.rules.approvals;
  const t = input.transition;
  if (!rule || t.via === "drift") return [];
  const source = input.approvals;
  const required2 = rule.required;
  const expected = required2;
  if (source.kind === "none") return [skipped(APPROVALS, `approvals are verified in CI on the pull request (${required2} required for ${input.target})`, { expected })];
  if (source.kind === "unattributed") {
    return [fail(APPROVALS, `0 of ${required2} required approvals for ${input.target}: commit ${source.commit.slice(0, 12)} was merged by no pull request GitHub knows of (a direct push), so nobody reviewed it`, { actual: [], expected })];
  }
  const candidates = distinct(source.kind === "pr" ? source.approvers.map((a) => a.login) : [source.actor]);
  const listed = await approverSet(input, rule.from, candidates);
  if (!listed.ok) return [cannotEvaluate(APPROVALS, listed.message, { expected })];
  const counted = candidates.filter((c) => listed.accepts(c));
  const ignored = candidates.filter((c) => !listed.accepts(c));
  const extra = { actual: counted, expected };
  if (counted.length >= required2) {
    const who2 = counted.length ? ` (${counted.join(", ")})` : "";
    return [pass(APPROVALS, `${counted.length} approval${counted.length === 1 ? "" : "s"}${who2}; ${required2} required for ${input.target}`, extra)];
  }
  if (source.kind === "actor") {
    if (ignored.length) {
      return [fail(APPROVALS, `${source.actor} is not an approver for ${input.target} (approvals.from: ${(rule.from ?? []).join(", ")})`, extra)];
    }
    return [
      fail(APPROVALS, `${source.actor} counts as 1 approval; ${input.target} requires ${required2}: make this change through a pull request reviewed by the approvers`, extra)
    ];
  }
  const who = counted.length ? ` (${counted.join(", ")})` : "";
  const others = ignored.length ? `; ${listing(ignored)} approved but ${ignored.length === 1 ? "is" : "are"} not in approvals.from` : "";
  const unqualified = source.withoutWriteAccess ?? [];
  const noWrite = unqualified.length ? `; ${listing(unqualified.map((u) => `${u.login} (${u.association})`))} approved without write access to the repository (only OWNER, MEMBER or COLLABORATOR reviews count)` : "";
  return [fail(APPROVALS, `${counted.length} of ${required2} required approvals for ${input.target}${who}${others}${noWrite}`, extra)];
}
function distinct(logins) {
  const seen = /* @__PURE__ */ new Set();
  return logins.filter((l) => {
    const k = login(l);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
async function approverSet(input, from, candidates) {
  if (!from) return { ok: true, accepts: () => true };
  const allowed = new Set(from.filter((e) => !isTeam(e)).map(login));
  const teams = from.filter(isTeam);
  if (teams.length && candidates.some((c) => !allowed.has(login(c)))) {
    for (const team of teams) {
      const members = await input.sources.team(team);
      if (!members.ok) return { ok: false, message: `could not resolve team ${team}: ${members.message}` };
      for (const m of members.value) allowed.add(login(m));
    }
  }
  return { ok: true, accepts: (c) => allowed.has(login(c)) };
}

// src/policy/checks/artifact.ts
var EXISTS = "artifact.exists";
var DIGEST = "artifact.digest";
async function artifactChecks(input) {
  if (!input.rules.artifact?.verify) return [];
  const loaded = await input.sources.artifact();
  return [artifactExists(loaded), artifactDigest(loaded)];
}
function artifactExists(loaded) {
  if (!loaded.ok) return loaded.notFound ? fail(EXISTS, loaded.message) : cannotEvaluate(EXISTS, loaded.message);
  const a = loaded.value;
  return a.exists ? pass(EXISTS, `artifact ${a.uri} exists`, { actual: a.uri }) : fail(EXISTS, `artifact ${a.uri} does not exist`, { actual: a.uri });
}
function artifactDigest(loaded) {
  if (!loaded.ok) return cannotEvaluate(DIGEST, loaded.message);
  const a = loaded.value;
  if (!a.exists) return cannotEvaluate(DIGEST, `artifact ${a.uri} does not exist`);
  if (!a.expected) return fail(DIGEST, `no digest recorded for ${a.uri}; run modelgate register or add digest: to the version in the manifest`, { actual: a.actual });
  if (!a.actual) return cannotEvaluate(DIGEST, `the digest of ${a.uri} could not be computed`, { expected: a.expected });
  const extra = { actual: a.actual, expected: a.expected };
  return a.actual === a.expected ? pass(DIGEST, `artifact ${a.uri} matches its digest ${a.expected}`, extra) : fail(DIGEST, `artifact ${a.uri} has digest ${a.actual}, but the manifest records ${a.expected}: the files changed since registration`, extra);
}

// src/policy/checks/retention.ts
var RETENTION = "retention.archived";
var DAY = 864e5;
function applies(t) {
  if (t.from !== "Archived") return false;
  return t.to === null || t.via === "rollback" || t.via === "drift" && t.to === "Archived";
}
async function retentionCheck(t, policy, sources, now) {
  const days = policy.doc.retention?.archivedDays;
  if (days === void 0 || !applies(t)) return [];
  const expected = `${days} days`;
  const at = await sources.archivedAt(t.version);
  if (!at.ok) return [cannotEvaluate(RETENTION, at.message, { expected })];
  if (!at.value) return [cannotEvaluate(RETENTION, `no record of when ${v(t.version)} was archived`, { expected })];
  const age = now.getTime() - at.value.getTime();
  const ageDays = Math.floor(age / DAY);
  const until = new Date(at.value.getTime() + days * DAY).toISOString();
  const archived = `${v(t.version)} was archived ${ageDays} day${ageDays === 1 ? "" : "s"} ago (${at.value.toISOString()})`;
  const extra = { actual: ageDays, expected };
  const inside = age < days * DAY;
  if (t.to === null) {
    return [
      inside ? fail(RETENTION, `${archived}; archived versions are kept ${days} days: it may be removed from ${until}`, extra) : pass(RETENTION, `${archived}, past the ${days}-day retention window`, extra)
    ];
  }
  if (t.via === "rollback") {
    return [
      age > days * DAY ? fail(RETENTION, `${archived}, past the ${days}-day retention window: its artifact may be gone; promote it through Staging instead`, extra) : pass(RETENTION, `${archived}, inside the ${days}-day retention window`, extra)
    ];
  }
  if (!inside) return [pass(RETENTION, `${archived}, past the ${days}-day retention window`, extra)];
  const exists = artifactExists(await sources.artifact());
  if (exists.status === "pass") return [pass(RETENTION, `${archived}; its artifact is still there for a rollback until ${until}`, extra)];
  if (exists.message.startsWith(COULD_NOT_EVALUATE)) return [cannotEvaluate(RETENTION, exists.message.slice(COULD_NOT_EVALUATE.length), extra)];
  return [fail(RETENTION, `${archived} and is inside its ${days}-day retention window, but ${exists.message}: it can no longer be rolled back`, extra)];
}

// src/policy/evaluate.ts
var FAMILIES = [runChecks, signatureChecks, metricChecks, soakCheck, approvalsCheck, artifactChecks];
async function evaluateTransition(ctx) {
  const t = ctx.transition;
  const applicable = selectPolicies(ctx.policies, t.model);
  const sources = new Sources(ctx);
  const evidence = new Evidence();
  const subject = subjectOf(ctx);
  const raw = [];
  if (t.to === null) {
    raw.push(removalAllowed(t));
  } else {
    const target = t.to;
    raw.push(policyCovered(t, target, applicable));
    raw.push(...transitionAllowed(t, target, applicable));
    raw.push(...singleProduction(t, ctx.head));
    raw.push(...aliasesKept(t, ctx.head, ctx.base, applicable));
    for (const policy of applicable) {
      const rules = policy.doc.rules?.[target];
      if (!rules) continue;
      const input = { transition: t, target, policy, rules, subject, sources, evidence, approvals: ctx.approvals, now: ctx.now };
      for (const family of FAMILIES) raw.push(...owned(policy, await family(input)));
    }
  }
  for (const policy of applicable) raw.push(...owned(policy, await retentionCheck(t, policy, sources, ctx.now)));
  const checks = applyEnforcement(dedupe(raw), {
    policies: applicable,
    model: t.model,
    version: t.version,
    now: ctx.now,
    ...t.via ? { via: t.via } : {}
  });
  const run2 = await sources.runIfRead();
  const proof = evidence.toResult();
  const result = {
    ...t,
    decision: checks.some((c) => c.status === "fail") ? "deny" : "allow",
    checks,
    ...run2 ? { lineage: await lineage(run2, subject) } : {},
    ...proof ? { evidence: proof } : {}
  };
  return { result, faults: sources.faults() };
}
function subjectOf(ctx) {
  const find = (versions) => versions?.find((x) => x.version === ctx.transition.version);
  return find(ctx.head.manifest.versions) ?? find(ctx.base?.manifest.versions);
}
function owned(policy, checks) {
  return checks.map((c) => ({ ...c, policy: policy.file }));
}
var SEVERITY = { fail: 2, pass: 1, skipped: 0 };
function dedupe(raw) {
  const index = /* @__PURE__ */ new Map();
  const out = [];
  for (const c of raw) {
    const key = `${c.policy ?? ""}\0${c.id}`;
    const at = index.get(key);
    if (at === void 0) {
      index.set(key, out.length);
      out.push(c);
    } else if (SEVERITY[c.status] > SEVERITY[out[at].status]) {
      out[at] = c;
    } else if (c.status === "fail" && out[at].status === "fail" && !out[at].message.includes(c.message)) {
      out[at] = { ...out[at], message: `${out[at].message}; ${c.message}` };
    }
  }
  return out;
}
async function lineage(run2, subject) {
  const tag = async (k) => {
    const value = await run2.tags.get(k).catch(() => void 0);
    return value === "" ? void 0 : value;
  };
  const dataVersion = await tag("data_version");
  const gitCommit = await tag("mlflow.source.git.commit") ?? await tag("git_commit");
  const artifact = subject?.artifact ?? run2.artifact;
  return {
    run: subject?.run ?? run2.ref,
    runId: run2.runId,
    ...dataVersion !== void 0 ? { dataVersion } : {},
    ...gitCommit !== void 0 ? { gitCommit } : {},
    ...artifact !== void 0 ? { artifact } : {},
    ...subject?.digest !== void 0 ? { digest: subject.digest } : {}
  };
}

// src/audit/appended.ts
function appendedProblems(input) {
  const problems = [];
  const open = [...input.transitions];
  const openRemovals = [...input.removedAliases];
  for (const r of input.appended) {
    const where = `record ${r.seq} (${r.action} v${r.version} ${r.from ?? "new"} -> ${r.to})`;
    if (r.model !== input.model) problems.push(`${where} names model ${r.model}`);
    const time = Date.parse(r.time);
    if (!Number.isFinite(time)) problems.push(`${where} has no valid time`);
    else if (time < input.notBefore.getTime()) problems.push(`${where} is dated ${r.time}, before the commit this change starts from (${input.notBefore.toISOString()})`);
    else if (time > input.notAfter.getTime()) problems.push(`${where} is dated ${r.time}, in the future`);
    if (r.removed) {
      const i2 = openRemovals.findIndex((a) => `@${a.alias}` === r.to && a.version === r.version);
      if (i2 === -1) problems.push(`${where} removes an alias this change does not remove`);
      else openRemovals.splice(i2, 1);
      continue;
    }
    const i = open.findIndex((t) => matches(t, r));
    if (i === -1) problems.push(`${where} matches no transition of this change`);
    else open.splice(i, 1);
  }
  if (input.appended.length > 0 && input.head) {
    for (const p of compareWithManifest(input.replay, input.head)) problems.push(`the log no longer replays to the manifest: ${p}`);
  }
  return problems;
}
function matches(t, r) {
  if (t.version !== r.version || t.model !== r.model) return false;
  if (!actionsFor(t).includes(r.action)) return false;
  if (t.kind === "alias") return r.to === t.to;
  if (t.kind === "remove") return r.from === t.from && r.to === "None";
  return r.from === t.from && r.to === t.to;
}
function actionsFor(t) {
  switch (t.kind) {
    case "register":
      return ["register"];
    case "alias":
      return ["alias", "rollback"];
    case "remove":
      return ["archive", "promote"];
    case "modify":
      return [];
    case "stage":
      return t.to === "Archived" ? ["archive"] : ["promote", "rollback"];
  }
}

// src/commands/immutability.ts
import { posix } from "node:path";

// src/git/tree.ts
import { spawn } from "node:child_process";
async function symlinksOf(root, commit) {
  const links = await streamLinks(root, commit);
  if (links.length === 0) return [];
  const targets = await blobs(root, links.map((l) => l.oid));
  return links.flatMap((l) => {
    const target = targets.get(l.oid);
    return target === void 0 ? [] : [{ path: l.path, target }];
  });
}
function run(root, args, input, onData) {
  return new Promise((resolve2, reject) => {
    const child = spawn("git", args, { cwd: root, env: gitEnv({ cwd: root }), stdio: [input === void 0 ? "ignore" : "pipe", "pipe", "pipe"] });
    const err = [];
    child.stdout.on("data", onData);
    child.stderr.on("data", (b) => err.push(b));
    child.on("error", (e) => reject(new EnvironmentError(`could not run git ${args[0]}: ${e.message}`, { cause: e })));
    child.on("close", (code) => {
      if (code === 0) resolve2();
      else reject(new EnvironmentError(`git ${args[0]} failed (exit ${code}): ${Buffer.concat(err).toString("utf8").trim()}`, { hint: "run modelgate inside a healthy git checkout" }));
    });
    if (child.stdin) {
      child.stdin.on("error", () => void 0);
      child.stdin.end(input);
    }
  });
}
async function streamLinks(root, commit) {
  const out = [];
  let rest = Buffer.alloc(0);
  const take = (entry) => {
    if (entry.length < 7 || entry.toString("latin1", 0, 7) !== "120000 ") return;
    const tab = entry.indexOf(9);
    const meta = entry.toString("latin1", 0, tab).split(" ");
    out.push({ oid: meta[2], path: entry.toString("utf8", tab + 1) });
  };
  await run(root, ["ls-tree", "-r", "-z", "--full-tree", "--end-of-options", commit], void 0, (chunk) => {
    let buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    for (let nul = buf.indexOf(0); nul !== -1; nul = buf.indexOf(0)) {
      take(buf.subarray(0, nul));
      buf = buf.subarray(nul + 1);
    }
    rest = Buffer.from(buf);
  });
  return out;
}
async function blobs(root, oids) {
  const unique = [...new Set(oids)];
  const parts = [];
  await run(root, ["cat-file", "--batch"], unique.join("\n") + "\n", (chunk) => parts.push(chunk));
  const all = Buffer.concat(parts);
  const out = /* @__PURE__ */ new Map();
  let at = 0;
  for (const oid of unique) {
    const nl = all.indexOf(10, at);
    if (nl === -1) break;
    const header = all.toString("latin1", at, nl).split(" ");
    if (header[1] === "missing") {
      at = nl + 1;
      continue;
    }
    const size = Number(header[2]);
    if (header[0] !== oid || !Number.isSafeInteger(size)) break;
    out.set(oid, all.toString("utf8", nl + 1, nl + 1 + size));
    at = nl + 1 + size + 1;
  }
  return out;
}

// src/transitions/immutable.ts
var PINNED_FIELDS = ["run", "artifact", "digest", "evidence"];
function fieldChanges(base, head) {
  const out = [];
  for (const key of PINNED_FIELDS) {
    const was = base[key];
    const now = head[key];
    if (was === now) continue;
    if (key === "evidence" && was === void 0) continue;
    if (now === void 0) out.push(`${key} removed (was ${was})`);
    else if (was === void 0) out.push(`${key} added (${now})`);
    else out.push(`${key} changed from ${was} to ${now}`);
  }
  return out;
}
function manifestMutations(model, base, head) {
  if (!base || !head) return [];
  const heads = new Map(head.versions.map((v2) => [v2.version, v2]));
  const out = [];
  for (const bv of base.versions) {
    const hv = heads.get(bv.version);
    if (!hv) continue;
    const changes = fieldChanges(bv, hv);
    if (changes.length) out.push({ model, version: bv.version, stage: bv.stage, changes });
  }
  return out;
}
function touches(root, changed) {
  if (changed === root) return true;
  return changed.startsWith(`${root}/`) || root.startsWith(`${changed}/`);
}
function touchedPaths(roots, changed) {
  return changed.filter((p) => roots.some((r) => touches(r, p))).sort();
}
function mergeMutations(lists) {
  const byKey = /* @__PURE__ */ new Map();
  for (const m of lists.flat()) {
    const key = `${m.model}\0${m.version}`;
    const seen = byKey.get(key);
    if (seen) seen.changes = [.../* @__PURE__ */ new Set([...seen.changes, ...m.changes])];
    else byKey.set(key, { ...m, changes: [...m.changes] });
  }
  return [...byKey.values()].sort((a, b) => a.model < b.model ? -1 : a.model > b.model ? 1 : a.version - b.version);
}
function immutableMessage(m, limit = 10) {
  const shown = m.changes.slice(0, limit);
  const more = m.changes.length > limit ? `, and ${m.changes.length - limit} more` : "";
  return `${m.model} v${m.version} (${m.stage}) is registered and cannot change: ${shown.join("; ")}${more}; register a new version for new evidence`;
}

// src/commands/immutability.ts
var PATHSPEC_CHUNK = 1e3;
var MAX_LINK_ROUNDS = 8;
function isRegistryFile(layout, path) {
  return path === CONFIG_FILE || path.startsWith(`${layout.policies}/`) || modelOfPath(layout, path) !== void 0 || modelOfAuditPath(layout, path) !== void 0;
}
async function findMutations(scope) {
  const { layout, headLayout, changed } = scope;
  const changedModels = new Set([...changed.keys()].map((p) => modelOfPath(layout, p) ?? modelOfPath(headLayout, p)).filter((m) => m !== void 0));
  const lists = [];
  for (const model of changedModels) {
    const { base, head } = await scope.manifests(model);
    lists.push(manifestMutations(model, base?.manifest, head?.manifest));
  }
  const files = [...changed.keys()].filter((p) => !isRegistryFile(layout, p) && !isRegistryFile(headLayout, p));
  if (files.length > 0 || scope.head.commit === void 0 && await hasIgnoredFiles(scope.root)) lists.push(await fileMutations(scope, files));
  return mergeMutations(lists);
}
async function fileMutations(scope, files) {
  const watched = await registeredRoots(scope);
  if (watched.length === 0) return [];
  if (scope.head.commit === void 0) await addIgnoredFiles(scope, watched, files);
  let unexplained = unmatched(watched, files);
  if (unexplained.some((p) => /(^|\/)models\//.test(p))) {
    await addLoggedModels(scope, watched);
    unexplained = unmatched(watched, files);
  }
  if (unexplained.some((p) => /(^|\/)mlartifacts\//.test(p))) {
    await addServedArtifacts(scope, watched);
    unexplained = unmatched(watched, files);
  }
  if (unexplained.length > 0) await followLinks(scope, watched);
  const alone = new Set(unmatched(watched, files));
  const explained = files.filter((p) => !alone.has(p));
  const out = [];
  if (explained.length === 0) return out;
  for (const w of watched) {
    const hit = touchedPaths(w.roots, explained);
    if (hit.length) {
      out.push({ model: w.model, version: w.version.version, stage: w.version.stage, changes: hit.map((p) => `${p} ${describeStatus(scope.changed.get(p))}`) });
    }
  }
  return out;
}
function unmatched(watched, files) {
  const roots = /* @__PURE__ */ new Set();
  const above = /* @__PURE__ */ new Set();
  for (const w of watched) {
    for (const r of w.roots) {
      roots.add(r);
      for (let i = r.indexOf("/"); i !== -1; i = r.indexOf("/", i + 1)) above.add(r.slice(0, i));
    }
  }
  return files.filter((p) => {
    if (roots.has(p) || above.has(p)) return false;
    for (let i = p.indexOf("/"); i !== -1; i = p.indexOf("/", i + 1)) if (roots.has(p.slice(0, i))) return false;
    return true;
  });
}
function describeStatus(s) {
  return s === "A" ? "added" : s === "D" ? "removed" : s === "T" ? "changed type" : "changed";
}
async function registeredRoots(scope) {
  const out = [];
  for (const model of await listModels(scope.base, scope.layout)) {
    const { base, head } = await scope.manifests(model);
    if (!base) continue;
    const kept = new Set(head?.manifest.versions.map((v2) => v2.version) ?? []);
    for (const v2 of base.manifest.versions) {
      if (!kept.has(v2.version)) continue;
      const roots = [repoPath(v2.run), v2.artifact === void 0 ? void 0 : repoPath(v2.artifact)].filter((r) => r !== void 0);
      if (roots.length) out.push({ model, version: v2, roots });
    }
  }
  return out;
}
async function addLoggedModels(scope, watched) {
  for (const w of watched) {
    const run2 = repoPath(w.version.run);
    if (run2 === void 0 || run2.endsWith(".json")) continue;
    const exp = posix.dirname(run2);
    for (const id2 of await scope.base.list(`${run2}/outputs`) ?? []) w.roots.push(exp === "." ? `models/${id2}` : `${exp}/models/${id2}`);
  }
}
async function addServedArtifacts(scope, watched) {
  for (const w of watched) {
    const run2 = repoPath(w.version.run);
    if (run2 === void 0 || run2.endsWith(".json")) continue;
    const meta = await scope.base.readText(`${run2}/meta.yaml`).catch(() => void 0);
    const uri = meta === void 0 ? void 0 : /^artifact_uri:\s*['"]?(mlflow-artifacts:[^\s'"]+)/m.exec(meta)?.[1];
    const served = uri === void 0 ? void 0 : serverArtifacts(run2, uri);
    if (served !== void 0) w.roots.push(served);
  }
}
function repoPath(ref) {
  if (isRemoteUri(ref)) return void 0;
  try {
    return normalizeRepoPath(ref);
  } catch {
    return void 0;
  }
}
async function hasIgnoredFiles(root) {
  const r = await git(["ls-files", "--others", "--ignored", "--exclude-standard", "--directory", "-z"], { cwd: root });
  return r.stdout.length > 0;
}
async function addIgnoredFiles(scope, watched, files) {
  const roots = [...new Set(watched.flatMap((w) => w.roots))];
  for (let i = 0; i < roots.length; i += PATHSPEC_CHUNK) {
    const r = await git(["ls-files", "--others", "-z", "--", ...roots.slice(i, i + PATHSPEC_CHUNK).map(literal)], { cwd: scope.root });
    for (const p of r.stdout.split("\0").filter(Boolean)) {
      if (!scope.changed.has(p)) {
        scope.changed.set(p, "A");
        files.push(p);
      }
    }
  }
}
async function followLinks(scope, watched) {
  const links = resolvedLinks(await symlinksOf(scope.root, scope.base.commit));
  if (links.size === 0) return;
  for (const w of watched) {
    const queue = [...w.roots];
    for (let hops = 0; queue.length > 0 && hops < MAX_LINK_ROUNDS * w.roots.length + MAX_LINK_ROUNDS; hops++) {
      const root = queue.shift();
      for (const extra of linkedFrom(root, links)) {
        if (w.roots.includes(extra)) continue;
        w.roots.push(extra);
        queue.push(extra);
      }
    }
  }
}
function resolvedLinks(links) {
  const out = /* @__PURE__ */ new Map();
  for (const l of links) {
    if (l.target.startsWith("/")) continue;
    const resolved = posix.normalize(posix.join(posix.dirname(l.path), l.target)).replace(/\/+$/, "");
    if (resolved === ".." || resolved.startsWith("../") || resolved === "." || resolved === "") continue;
    out.set(l.path, resolved);
  }
  return out;
}
function linkedFrom(root, links) {
  const out = [];
  for (let i = root.indexOf("/"); ; i = root.indexOf("/", i + 1)) {
    const prefix = i === -1 ? root : root.slice(0, i);
    const target = links.get(prefix);
    if (target !== void 0) out.push(target + root.slice(prefix.length));
    if (i === -1) break;
  }
  for (const [link, target] of links) if (link.startsWith(`${root}/`)) out.push(target);
  return out;
}
function literal(path) {
  return `:(literal)${path}`;
}

// src/commands/states.ts
import { resolve } from "node:path";
async function openStates(repo, baseRef, headRef) {
  const root = await repoRoot(resolve(repo));
  const base = await GitState.open(root, baseRef);
  const head = headRef === void 0 ? new WorktreeState(root) : await GitState.open(root, headRef);
  return {
    root,
    base,
    head,
    close: () => {
      base.close?.();
      if (head instanceof GitState) head.close?.();
    }
  };
}

// src/commands/check.ts
async function runCheck(opts) {
  const states = await openStates(opts.repo, opts.base ?? "HEAD", opts.head);
  try {
    return opts.all ? await checkAll(states, opts) : await checkChange(states, opts);
  } finally {
    states.close();
  }
}
async function checkChange(states, opts) {
  const layout = await readLayout(states.base);
  const policies = await readPolicies(states.base, layout);
  const all = await changedFiles(states.root, states.base.commit, states.head.commit);
  const headLayout = all.has(CONFIG_FILE) ? await readLayout(states.head) : layout;
  const watched = [.../* @__PURE__ */ new Set([layout.registry, layout.policies, layout.audit, headLayout.registry, headLayout.audit])].map((d) => `${d}/`);
  const changed = [...all.keys()].filter((p) => p === CONFIG_FILE || watched.some((d) => p.startsWith(d))).sort();
  await assertPlainLayout(states.head, headLayout);
  await Promise.all(changed.flatMap((p) => [assertPlainRegistryFile(states.head, layout, p), assertPlainRegistryFile(states.head, headLayout, p)]));
  const global = [];
  const policyChanges = changed.filter((p) => p === CONFIG_FILE || p.startsWith(`${layout.policies}/`));
  if (policyChanges.length > 0) global.push(policyUnchangedCheck(policyChanges, policies));
  const manifests = manifestCache(states, layout, headLayout);
  const mutations = await findMutations({ root: states.root, base: states.base, head: states.head, layout, headLayout, changed: all, manifests });
  const deps = evaluationDeps(states, opts, layout, policies);
  const runs = new RunCache(opts.env);
  const results = [];
  const moved = headLayout.registry !== layout.registry || headLayout.audit !== layout.audit;
  const models = [
    ...new Set(
      [
        ...changed.map((p) => modelOfRegistryPath(layout, p) ?? modelOfRegistryPath(headLayout, p)),
        ...mutations.map((m) => m.model),
        // Moved: every model of either layout, also those the change left behind.
        ...moved ? [...await layoutModels(states.base, layout), ...await layoutModels(states.head, headLayout)] : []
      ].filter((m) => m !== void 0)
    )
  ];
  const fork = models.length ? await forkPoint(states) : states.base;
  try {
    const window = { notBefore: await commitTime(states.root, fork.commit ?? states.base.commit), notAfter: opts.now };
    for (const model of models) {
      const audit = await assertAuditIntact(states.head, fork, { base: layout, head: headLayout }, model);
      const { base, head } = await manifests(model);
      const transitions = deriveTransitions(model, base?.manifest, head?.manifest);
      const judged = [];
      for (const t of transitions) {
        if (!isGated(t)) continue;
        const j = await judge(deps, runs, t, head, base, { refuseUnsafePaths: true });
        if (j.faults.length) return outcome(results, global, j.faults);
        judged.push(j.result);
      }
      for (const m of mutations.filter((x) => x.model === model)) judged.push(...withMutation(judged, m, head ?? base));
      if (audit && audit.appended.length > 0) {
        const check = appendedCheck(model, appendedProblems({ model, ...audit, transitions, removedAliases: removedAliases(base?.manifest, head?.manifest), ...window, head: head?.manifest }));
        if (judged.length === 0 || check.status === "fail") global.push(check);
        else for (const r of judged) r.checks = [...r.checks, check];
      }
      results.push(...judged);
    }
  } finally {
    if (fork !== states.base) fork.close?.();
  }
  return results.length ? outcome(results.map((r) => withChangeChecks(r, global)), []) : outcome(results, global);
}
function appendedCheck(model, problems) {
  if (problems.length === 0) {
    return { id: "audit.appended", status: "pass", level: "deny", message: `the records appended to the audit log of ${model} are this change's own transitions` };
  }
  return {
    id: "audit.appended",
    status: "fail",
    level: "deny",
    message: `the audit log of ${model} gains records that are not this change's own: ${problems.join("; ")}; records are appended by modelgate (promote --commit, record after merge), never written by hand`,
    actual: problems
  };
}
async function layoutModels(state, layout) {
  const logs = (await state.list(layout.audit) ?? []).filter((n) => n.endsWith(".jsonl")).map((n) => n.slice(0, -".jsonl".length));
  return [...await listModels(state, layout), ...logs];
}
function modelOfRegistryPath(layout, path) {
  return modelOfPath(layout, path) ?? modelOfAuditPath(layout, path);
}
function manifestCache(states, layout, headLayout) {
  const cache = /* @__PURE__ */ new Map();
  return (model) => {
    let p = cache.get(model);
    if (!p) {
      p = Promise.all([
        readManifest(states.base, layout, model, { singleProduction: false }),
        readManifest(states.head, headLayout, model, { singleProduction: false })
      ]).then(([base, head]) => ({ base, head }));
      cache.set(model, p);
    }
    return p;
  };
}
function withMutation(results, m, manifest) {
  const check = { id: "version.immutable", status: "fail", level: "deny", message: immutableMessage(m), actual: m.changes };
  const moving = results.filter((r) => r.model === m.model && r.version === m.version);
  for (const r of moving) {
    r.checks = [...r.checks, check];
    r.decision = "deny";
  }
  if (moving.length) return [];
  const line = manifest?.versionLines.get(m.version);
  return [
    {
      model: m.model,
      version: m.version,
      kind: "modify",
      from: m.stage,
      to: m.stage,
      decision: "deny",
      checks: [check],
      ...manifest ? { file: manifest.file } : {},
      ...line !== void 0 ? { line } : {}
    }
  ];
}
function withChangeChecks(r, change) {
  if (change.length === 0) return r;
  return { ...r, checks: [...r.checks, ...change], ...change.some((c) => c.status === "fail") ? { decision: "deny" } : {} };
}
async function checkAll(states, opts) {
  const layout = await readLayout(states.base);
  const policies = await readPolicies(states.base, layout);
  const deps = evaluationDeps({ ...states, base: states.head }, opts, layout, policies);
  const runs = new RunCache(opts.env);
  const results = [];
  for (const model of await listModels(states.head, layout)) {
    const head = await readManifest(states.head, layout, model, { singleProduction: false });
    if (!head) continue;
    for (const v2 of head.manifest.versions) {
      if (v2.stage === "None") continue;
      const t = { model, version: v2.version, kind: "stage", from: v2.stage, to: v2.stage, via: "drift" };
      const j = await judge(deps, runs, t, head, head, { refuseUnsafePaths: true });
      if (j.faults.length) return outcome(results, [], j.faults);
      results.push(j.result);
    }
    const governing = selectPolicies(policies, model);
    for (const [alias, version] of Object.entries(head.manifest.aliases)) {
      if (!governing.some((p) => p.doc.rules?.[`@${alias}`] !== void 0)) continue;
      const stage = head.manifest.versions.find((x) => x.version === version)?.stage ?? null;
      const t = { model, version, kind: "alias", from: stage, to: `@${alias}`, via: "drift" };
      const j = await judge(deps, runs, t, head, head, { refuseUnsafePaths: true });
      if (j.faults.length) return outcome(results, [], j.faults);
      results.push(j.result);
    }
  }
  return outcome(results, []);
}
function evaluationDeps(states, opts, layout, policies) {
  return {
    root: states.root,
    layout,
    base: states.base,
    head: states.head,
    policies,
    now: opts.now,
    approvals: opts.approvals ?? { kind: "none" },
    ...opts.resolveTeam ? { resolveTeam: opts.resolveTeam } : {},
    env: opts.env,
    ...opts.onProgress ? { onProgress: opts.onProgress } : {}
  };
}
async function forkPoint(states) {
  const headCommit = states.head.commit ?? "HEAD";
  const r = await git(["merge-base", "--end-of-options", states.base.commit, headCommit], { cwd: states.root, allowFail: true });
  const sha = r.stdout.trim();
  if (r.code !== 0 || sha === "" || sha === states.base.commit) return states.base;
  return GitState.open(states.root, sha);
}
async function assertAuditIntact(head, fork, layouts, model) {
  const baseFile = auditPath(layouts.base, model);
  const file = auditPath(layouts.head, model);
  const before = await readAuditState(fork, baseFile, model);
  const after = await readAuditState(head, file, model, before?.last ? { hashOfSeq: before.last.seq, collectAfterSeq: before.last.seq } : { collectAfterSeq: 0 });
  const broken = (why, line) => new InputError(`the audit chain of ${model} is broken: ${why}`, {
    location: { file, ...line !== void 0 ? { line } : {} },
    hint: `run \`modelgate audit verify ${model}\` to see every problem, and restore the log from git history before judging changes to this model`
  });
  const problem = after?.problems[0];
  if (problem) throw broken(problem.message, problem.line);
  const appended = after ? { appended: after.appended ?? [], replay: after.replay } : void 0;
  if (!before?.last || before.problems.length > 0) return appended;
  if (!after) throw broken(`the change deletes ${file}, which holds ${before.count} record${before.count === 1 ? "" : "s"}`);
  if (after.hashOfSeq !== before.last.hash) {
    throw broken(`the change rewrites records that are already in ${file} at ${fork.commit?.slice(0, 12) ?? "base"} (record ${before.last.seq} differs or is gone): audit logs are only appended to`);
  }
  return appended;
}
async function judge(deps, runs, t, head, base, opts = {}) {
  const subject = head ?? base;
  const evaluate = async () => {
    const ctx = buildContext(deps, runs, t, subject, base);
    const { result: result2, faults: faults2 } = await evaluateTransition(opts.refuseUnsafePaths ? { ...ctx, refuseUnsafePaths: true } : ctx);
    const evidence = await evidenceCheck(deps, t, head, base);
    if (evidence.check) {
      result2.checks = [...result2.checks, evidence.check];
      if (evidence.check.status === "fail") result2.decision = "deny";
    }
    return { result: result2, faults: [...faults2, ...evidence.faults] };
  };
  const budget = evalBudgetMs(deps.env);
  const judged = await withinBudget(budget, evaluate());
  const { result, faults } = judged?.value ?? { result: outOfTime(t, budget), faults: opts.outOfTimeIsFault ? [outOfTimeFault(t, budget)] : [] };
  const line = head?.stageLines.get(t.version) ?? head?.versionLines.get(t.version) ?? base?.versionLines.get(t.version);
  return { result: { ...result, file: subject.file, ...line !== void 0 ? { line } : {} }, faults };
}
async function evidenceCheck(deps, t, head, base) {
  if (t.kind === "remove" || t.kind === "modify" || t.to === "Archived") return { faults: [] };
  const inBase = base?.manifest.versions.find((v3) => v3.version === t.version);
  const v2 = inBase ?? head?.manifest.versions.find((x) => x.version === t.version);
  if (!v2?.evidence) return { faults: [] };
  const id2 = "run.evidence";
  try {
    const now = await versionEvidence(inBase ? deps.base : deps.head, v2, deps.env);
    if (now.digest === v2.evidence) return { check: { id: id2, status: "pass", level: "deny", message: `the evidence of ${t.model} v${t.version} matches its digest (${now.files.length} files)`, actual: now.digest, expected: v2.evidence }, faults: [] };
    return {
      check: {
        id: id2,
        status: "fail",
        level: "deny",
        message: `the evidence of ${t.model} v${t.version} no longer matches its digest: the run's files hash to ${now.digest}, the manifest pins ${v2.evidence}; register a new version for new evidence`,
        actual: now.digest,
        expected: v2.evidence
      },
      faults: []
    };
  } catch (err) {
    const check = { id: id2, status: "fail", level: "deny", message: `could not evaluate: the evidence of ${t.model} v${t.version}: ${err.message}`, expected: v2.evidence };
    return { check, faults: err instanceof EnvironmentError ? [err] : [] };
  }
}
function outcome(results, global, faults = []) {
  const denied = results.filter((r) => r.decision === "deny").length + (global.some((c) => c.status === "fail") ? 1 : 0);
  const warnings = results.reduce((n, r) => n + r.checks.filter((c) => c.status === "warn").length, 0) + global.filter((c) => c.status === "warn").length;
  const decision = denied > 0 ? "deny" : "allow";
  const report = {
    schemaVersion: 1,
    decision,
    summary: { transitions: results.length, allowed: results.length - results.filter((r) => r.decision === "deny").length, denied, warnings },
    transitions: results,
    ...global.length ? { checks: global } : {}
  };
  return { report, decision, faults };
}

export {
  aliasRuleRefusing,
  runCheck,
  judge,
  outcome
};
