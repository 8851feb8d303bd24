import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  addVersion,
  setAlias,
  setStage
} from "./chunk-SJ2Z7QRL.js";
import {
  land
} from "./chunk-BBTD4EPZ.js";
import {
  applyPlan,
  assertCommitted,
  readCurrent,
  stageAction
} from "./chunk-HCY2ODEW.js";
import {
  isServerRef
} from "./chunk-WH5TWHOG.js";
import {
  aliasRuleRefusing
} from "./chunk-MFRRL4OI.js";
import {
  selectPolicies
} from "./chunk-S5WV7FJK.js";
import {
  findBareRunId,
  manifestHistory,
  openRun,
  versionEvidence
} from "./chunk-WVHT4QIA.js";
import {
  writeFileAtomicMkdir
} from "./chunk-UVN7TA7M.js";
import {
  digestArtifact
} from "./chunk-AKFKUSU4.js";
import {
  STAGES,
  assertModelName,
  auditPath,
  manifestPath,
  snapshotPath
} from "./chunk-27FDAS2B.js";
import {
  isRemoteUri,
  isS3Uri,
  normalizeRepoPath,
  printable
} from "./chunk-JOPA73JY.js";
import {
  InputError,
  NotFoundError
} from "./chunk-RTQ2UXCO.js";

// src/commands/decide.ts
import { join } from "node:path";

// src/commands/rollbackTarget.ts
async function previousHolder(cur, model, target, current) {
  const found = earlierThan(holdersFromAudit(cur, target), current) ?? earlierThan(await holdersFromGit(cur, model, target), current);
  if (found !== void 0) return found;
  throw new InputError(`no earlier version of ${model} held ${target} to roll back to`, {
    hint: "name the version with --to VERSION"
  });
}
function earlierThan(holders, current) {
  for (let i = holders.length - 1; i >= 0; i--) {
    if (holders[i] !== current) return holders[i];
  }
  return void 0;
}
function holdersFromAudit(cur, target) {
  const replay = cur.audit?.replay;
  if (!replay) return [];
  if (target === "Production") return dedupeRuns(replay.productionHistory);
  return dedupeRuns(replay.aliasHistory.get(target.slice(1)) ?? []);
}
async function holdersFromGit(cur, model, target) {
  const holders = [];
  for await (const { then } of manifestHistory(cur.root, manifestPath(cur.layout, model))) {
    if (then.kind !== "manifest") continue;
    const m = then.manifest;
    const holder = target === "Production" ? m.versions.find((v) => v.stage === "Production")?.version : m.aliases[target.slice(1)];
    if (holder !== void 0) holders.push(holder);
  }
  return dedupeRuns(holders);
}
function dedupeRuns(xs) {
  return xs.filter((x, i) => i === 0 || xs[i - 1] !== x);
}

// src/commands/decide.ts
async function decide(opts, model, makePlan) {
  assertModelName(model);
  const commit = !opts.dryRun && (opts.commit || opts.push);
  const once = async () => {
    const cur = await readCurrent(opts.repo, model);
    if (commit) await assertCommitted(cur.root, [manifestPath(cur.layout, model), auditPath(cur.layout, model)]);
    return applyPlan(opts, cur, await makePlan(cur));
  };
  return land(
    { repo: opts.repo, commit, push: opts.push && !opts.dryRun, publisher: opts.publisher, redoing: "judging", onProgress: opts.onRetry ?? opts.onProgress },
    once
  );
}
function requireManifest(cur, model) {
  if (!cur.manifest || cur.manifestText === void 0) {
    throw new InputError(`no model named '${model}'`, { hint: `expected ${manifestPath(cur.layout, model)}; register a version first` });
  }
  return { loaded: cur.manifest, text: cur.manifestText };
}
function requireVersion(cur, model, version) {
  const { loaded, text } = requireManifest(cur, model);
  const v = loaded.manifest.versions.find((x) => x.version === version);
  if (!v) {
    const known = loaded.manifest.versions.map((x) => x.version).join(", ");
    throw new InputError(`${model} has no version ${version}`, { hint: `versions: ${known || "none"}` });
  }
  return { loaded, text, v };
}
function parseTarget(to) {
  if (to.startsWith("@")) {
    if (!/^@[A-Za-z0-9_-]{1,64}$/.test(to)) throw new InputError(`'${to}' is not a valid alias`, { hint: "aliases are @ followed by letters, digits, _ or -" });
    return to;
  }
  const stage = STAGES.find((s) => s === to);
  if (stage) return stage;
  const near = STAGES.find((s) => s.toLowerCase() === to.toLowerCase());
  throw new InputError(`'${to}' is not a stage or alias`, { hint: near ? `did you mean ${near}?` : `use one of ${STAGES.join(", ")} or @alias` });
}
function promote(opts, model, version, to, alias) {
  const target = parseTarget(to);
  const moved = alias === void 0 ? void 0 : parseTarget(`@${alias.replace(/^@/, "")}`).slice(1);
  if (moved !== void 0 && target.startsWith("@")) throw new InputError(`--to ${target} already names an alias; --alias goes with a stage`, { hint: `e.g. --to Production --alias ${moved}` });
  return decide(opts, model, async (cur) => {
    const { loaded, text, v } = requireVersion(cur, model, version);
    const file = loaded.file;
    if (target.startsWith("@")) {
      return { model, text: setAlias(text, file, target.slice(1), version), actionOf: stageAction, primary: version, subject: `${model} ${target} -> v${version}` };
    }
    if (v.stage === target) throw new InputError(`${model} v${version} is already in ${target}`);
    let next = setStage(text, file, version, target);
    if (target === "Production") {
      for (const p of loaded.manifest.versions.filter((x) => x.stage === "Production" && x.version !== version)) {
        next = setStage(next, file, p.version, "Archived");
      }
    }
    if (moved !== void 0 && loaded.manifest.aliases[moved] !== version) next = setAlias(next, file, moved, version);
    const also = moved !== void 0 ? ` @${moved}` : "";
    return { model, text: next, actionOf: stageAction, primary: version, subject: `${model} v${version} ${v.stage} -> ${target}${also}` };
  });
}
function archive(opts, model, version) {
  requireReason(opts, "archive");
  return decide(opts, model, async (cur) => {
    const { loaded, text, v } = requireVersion(cur, model, version);
    if (v.stage === "Archived") throw new InputError(`${model} v${version} is already Archived`);
    return { model, text: setStage(text, loaded.file, version, "Archived"), actionOf: stageAction, primary: version, subject: `${model} v${version} ${v.stage} -> Archived` };
  });
}
function rollback(opts, model, target) {
  requireReason(opts, "rollback");
  return decide(opts, model, async (cur) => {
    const { loaded, text } = requireManifest(cur, model);
    const { manifest, file } = loaded;
    const rollbackAction = (t) => t.to === "Production" || t.kind === "alias" ? "rollback" : stageAction(t);
    const production = manifest.versions.find((v2) => v2.stage === "Production");
    let to;
    if (target.alias) {
      const held = manifest.aliases[target.alias];
      if (held === void 0) throw new InputError(`${model} has no alias '${target.alias}'`);
      to = target.to ?? await previousHolder(cur, model, `@${target.alias}`, held);
      const { v: v2 } = requireVersion(cur, model, to);
      if (held !== production?.version || v2.stage === "Production") {
        const refused = aliasRuleRefuses(cur, model, target.alias, v2.stage);
        if (refused) {
          throw new InputError(`@${target.alias} may only point at a version in ${refused.join(", ") || "no stage"} (its from rule); v${to} is ${v2.stage}`, {
            hint: `roll @${target.alias} back to a version in ${refused.join(" or ") || "a stage its rule allows"} with --to VERSION`
          });
        }
        return { model, text: setAlias(text, file, target.alias, to), actionOf: rollbackAction, via: "rollback", primary: to, subject: `${model} @${target.alias} v${held} -> v${to}` };
      }
    } else {
      to = target.to ?? await previousHolder(cur, model, "Production", production?.version);
    }
    const { v } = requireVersion(cur, model, to);
    if (v.stage === "Production") throw new InputError(`${model} v${to} is already in Production`);
    let next = setStage(text, file, to, "Production");
    if (production) {
      next = setStage(next, file, production.version, "Archived");
      for (const alias of aliasesToCarry(cur, model, production.version, target.alias)) next = setAlias(next, file, alias, to);
    }
    return { model, text: next, actionOf: rollbackAction, via: "rollback", primary: to, subject: `${model} rollback v${production?.version ?? "-"} -> v${to}` };
  });
}
function aliasRuleRefuses(cur, model, alias, stage) {
  return aliasRuleRefusing(`@${alias}`, stage, selectPolicies(cur.policies, model));
}
function aliasesToCarry(cur, model, archived, named) {
  const aliases = cur.manifest?.manifest.aliases ?? {};
  return Object.keys(aliases).filter((a) => aliases[a] === archived && (a === named || aliasRuleRefuses(cur, model, a, "Archived") !== void 0));
}
async function register(opts, model, run, artifact) {
  if (!isServerRef(run)) return registerRun(opts, model, run, artifact);
  assertModelName(model);
  const { snapshotFromServer } = await import("./fromServer-7BMF5TGN.js");
  const snapshot = await snapshotFromServer(run, opts.env, opts.now);
  const written = [];
  try {
    const out = await registerRun(opts, model, run, artifact, async (cur) => {
      const path = snapshotPath(cur.layout, model, snapshot.runId);
      const w = await writeSnapshot(cur, path, snapshot.text);
      if (w) written.push(w);
      return path;
    });
    for (const w of written) await (out.written ? w.keep() : w.undo());
    return out;
  } catch (err) {
    for (const w of written.reverse()) await w.undo().catch(() => void 0);
    throw err;
  }
}
async function writeSnapshot(cur, path, text) {
  const there = await cur.work.readText(path);
  if (there === text) return void 0;
  if (there !== void 0) {
    throw new InputError(`${path} already exists: this run was snapshotted before`, {
      hint: `register that snapshot with --run ${path} (a snapshot may be a registered version's evidence, so it is never overwritten)`
    });
  }
  return writeFileAtomicMkdir(join(cur.root, path), text);
}
function registerRun(opts, model, run, artifact, snapshot) {
  return decide(opts, model, async (cur) => {
    const written = snapshot ? await snapshot(cur) : void 0;
    const runRef = written ?? (isS3Uri(run) ? run : await findBareRunId(cur.work, run) ?? normalizeRepoPath(run));
    const artifactRef = artifact === void 0 ? void 0 : isRemoteUri(artifact) ? artifact : normalizeRepoPath(artifact);
    const existing = cur.manifest?.manifest.versions ?? [];
    const recorded = cur.audit ? Math.max(0, ...cur.audit.replay.stages.keys()) : 0;
    const version = Math.max(0, recorded, ...existing.map((v) => v.version)) + 1;
    const entry = { version, run: runRef, stage: "None", ...artifactRef ? { artifact: artifactRef } : {} };
    const record = await openRun(cur.work, entry, opts.env);
    const uri = artifactRef ?? record.artifact;
    if (uri !== void 0) {
      entry.artifact = uri;
      entry.digest = await registeredDigest(uri, artifactRef === void 0 ? runRef : void 0, cur, opts);
    }
    entry.evidence = (await versionEvidence(cur.work, entry, opts.env)).digest;
    const file = manifestPath(cur.layout, model);
    const text = addVersion(cur.manifestText ?? newManifestText(model), file, entry);
    return { model, text, actionOf: () => "register", primary: version, subject: `${model} v${version} registered`, ...written ? { files: [written] } : {} };
  });
}
async function registeredDigest(uri, fromRun, cur, opts) {
  const d = await digestArtifact(uri, { repoSource: cur.work, env: opts.env, ...opts.onProgress ? { onProgress: opts.onProgress } : {} });
  if (!d.exists || d.digest === void 0) {
    throw new NotFoundError(`artifact ${printable(uri)} does not exist${fromRun !== void 0 ? ` (named by run ${printable(fromRun)})` : ""}`, {
      hint: isS3Uri(uri) ? "upload the model first, or check the bucket and prefix (a prefix is read as a directory)" : "check the path, or pass --artifact with the model location"
    });
  }
  return d.digest;
}
function newManifestText(model) {
  return `apiVersion: modelgate/v1
kind: Model
name: ${model}
versions: []
`;
}
function requireReason(opts, command) {
  if (!opts.reason || !opts.reason.trim()) {
    throw new InputError(`${command} needs a reason`, { hint: `pass --reason "why" (it is kept in the audit record)` });
  }
}

export {
  parseTarget,
  promote,
  archive,
  rollback,
  register
};
