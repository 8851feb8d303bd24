import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  applyPlan,
  assertCommitted,
  readCurrent,
  runPushed
} from "./chunk-ESMNMIMG.js";
import {
  digestArtifact,
  openRun
} from "./chunk-D7DBGA2H.js";
import {
  git
} from "./chunk-IDTNSLQG.js";
import {
  ALIAS_NAME_PATTERN,
  DIGEST_PATTERN,
  STAGES,
  assertModelName,
  auditPath,
  loadManifest,
  manifestPath,
  require_dist,
  versionOf
} from "./chunk-VA634LOC.js";
import {
  isS3Uri,
  normalizeRepoPath,
  printable
} from "./chunk-Q5SX3MZI.js";
import {
  InputError,
  InputErrors,
  NotFoundError
} from "./chunk-UI47FEJI.js";
import {
  __toESM
} from "./chunk-CCN2QAD7.js";

// src/manifest/edit.ts
var import_yaml = __toESM(require_dist(), 1);
import { isDeepStrictEqual } from "node:util";
function setStage(text, file, version, stage) {
  if (!STAGES.includes(stage)) {
    throw new InputError(`'${String(stage)}' is not a stage`, { location: { file }, hint: `use one of ${STAGES.join(", ")}` });
  }
  return edit(text, file, {
    intended: (m) => {
      const i = versionIndex(m, file, version);
      return { ...m, versions: m.versions.map((v, j) => j === i ? { ...v, stage } : v) };
    },
    splice: (src) => replaceScalar(src.text, versionItem(src, version).get("stage", true), stage),
    document: (doc, m) => void doc.setIn(["versions", versionIndex(m, file, version), "stage"], stage)
  });
}
function setAlias(text, file, alias, version) {
  assertAliasName(alias, file);
  return edit(text, file, {
    intended: (m) => {
      versionIndex(m, file, version);
      return { ...m, aliases: { ...m.aliases, [alias]: version } };
    },
    splice: (src) => spliceAlias(src, alias, version),
    document: (doc) => void doc.setIn(["aliases", alias], version)
  });
}
function addVersion(text, file, entry) {
  const added = checkedEntry(entry, file);
  return edit(text, file, {
    intended: (m) => {
      if (m.versions.some((v) => v.version === added.version)) {
        throw new InputError(`${m.name} already has a version ${added.version}`, { location: { file }, hint: "version numbers are never reused; use the next free number" });
      }
      return { ...m, versions: [...m.versions, added] };
    },
    splice: (src) => spliceVersion(src, added),
    document: (doc) => {
      const seq = doc.get("versions", true);
      if (!(0, import_yaml.isSeq)(seq)) throw new CannotSplice();
      if (seq.items.length === 0) seq.flow = false;
      seq.add(doc.createNode({ ...added }));
    }
  });
}
var CannotSplice = class extends Error {
};
function edit(text, file, e) {
  const before = loadManifest(text, file, { singleProduction: false }).manifest;
  const intended = e.intended(before);
  const src = source(text);
  try {
    const out = e.splice(src);
    if (reloadsTo(out, file, intended)) return out;
  } catch (err) {
    if (!(err instanceof CannotSplice)) throw err;
  }
  const fallback = documentEdit(src, (doc) => e.document(doc, before));
  if (fallback !== void 0 && reloadsTo(fallback, file, intended)) return fallback;
  throw new InputError(`cannot edit ${file} without changing more than intended`, {
    location: { file },
    hint: "the file uses YAML anchors, aliases or tags that modelgate cannot rewrite safely; write those values out plainly and retry"
  });
}
function source(text) {
  const doc = (0, import_yaml.parseDocument)(text, { version: "1.2", uniqueKeys: true });
  const root = doc.contents;
  if (!(0, import_yaml.isMap)(root)) throw new CannotSplice();
  return { text, eol: text.includes("\r\n") ? "\r\n" : "\n", doc, root };
}
function documentEdit(src, mutate) {
  try {
    const doc = (0, import_yaml.parseDocument)(src.text, { version: "1.2", uniqueKeys: true });
    mutate(doc);
    let out = doc.toString({ lineWidth: 0 });
    if (src.eol === "\r\n") out = out.replace(/\r?\n/g, "\r\n");
    if (src.text.startsWith("\uFEFF") && !out.startsWith("\uFEFF")) out = "\uFEFF" + out;
    return out;
  } catch {
    return void 0;
  }
}
function reloadsTo(text, file, intended) {
  try {
    return isDeepStrictEqual(loadManifest(text, file, { singleProduction: false }).manifest, intended);
  } catch (err) {
    if (err instanceof InputError || err instanceof InputErrors) return false;
    throw err;
  }
}
function versionIndex(m, file, version) {
  const i = m.versions.findIndex((v) => v.version === version);
  if (i === -1) {
    const known = m.versions.map((v) => v.version).join(", ");
    throw new InputError(`${m.name} has no version ${version}`, { location: { file }, hint: known ? `versions: ${known}` : "register a version first" });
  }
  return i;
}
function assertAliasName(alias, file) {
  if (!ALIAS_NAME_PATTERN.test(alias)) {
    throw new InputError(`'${alias}' is not a valid alias name`, { location: { file }, hint: "alias names use letters, digits, _ and - (at most 64), e.g. champion" });
  }
}
function checkedEntry(entry, file) {
  const where = { location: { file } };
  if (!Number.isInteger(entry.version) || entry.version < 1) {
    throw new InputError(`version ${String(entry.version)} is not a positive integer`, where);
  }
  if (!STAGES.includes(entry.stage)) throw new InputError(`'${String(entry.stage)}' is not a stage`, { ...where, hint: `use one of ${STAGES.join(", ")}` });
  for (const d of [entry.digest, entry.evidence]) {
    if (d !== void 0 && !DIGEST_PATTERN.test(d)) {
      throw new InputError(`'${d}' is not a sha256 digest`, { ...where, hint: "a digest is sha256: followed by 64 lowercase hex digits" });
    }
  }
  try {
    return versionOf(entry);
  } catch (err) {
    if (err instanceof InputError) throw new InputError(err.message, { ...where, hint: err.hint });
    throw err;
  }
}
var CANONICAL_KEYS = ["version", "run", "artifact", "digest", "evidence", "stage"];
function versionItem(src, version) {
  const seq = src.root.get("versions", true);
  if (!(0, import_yaml.isSeq)(seq)) throw new CannotSplice();
  const item = seq.items.find((it) => (0, import_yaml.isMap)(it) && it.get("version") === version);
  if (!(0, import_yaml.isMap)(item)) throw new CannotSplice();
  return item;
}
function spliceAlias(src, alias, version) {
  const { text } = src;
  const pair = pairOf(src.root, "aliases");
  const line = `${formatScalar(alias)}: ${version}`;
  if (!pair) {
    const col2 = keyColumn(src, src.root.items[0]);
    const at = afterLine(text, src.root.range?.[1] ?? text.length);
    return insertLines(text, src.eol, at, [`${" ".repeat(col2)}aliases:`, `${" ".repeat(col2 + indentUnit(src))}${line}`]);
  }
  const map = pair.value;
  if (!(0, import_yaml.isMap)(map)) throw new CannotSplice();
  const existing = pairOf(map, alias);
  if (existing) return replaceScalar(text, existing.value, version);
  if (map.flow) {
    if (map.items.length === 0) return blockFromEmptyFlow(src, pair, [line]);
    throw new CannotSplice();
  }
  const col = keyColumn(src, map.items[0]);
  return insertLines(text, src.eol, afterLine(text, pairEnd(map.items[map.items.length - 1])), [`${" ".repeat(col)}${line}`]);
}
function spliceVersion(src, entry) {
  const { text } = src;
  const pair = pairOf(src.root, "versions");
  const seq = pair?.value;
  if (!pair || !(0, import_yaml.isSeq)(seq)) throw new CannotSplice();
  if (seq.flow) {
    if (seq.items.length > 0) throw new CannotSplice();
    const dashCol2 = keyColumn(src, pair) + indentUnit(src);
    return blockFromEmptyFlow(src, pair, itemLines(entry, CANONICAL_KEYS, {}, 0, 2), dashCol2);
  }
  const last = seq.items[seq.items.length - 1];
  if (!(0, import_yaml.isMap)(last) || last.flow || !last.range) throw new CannotSplice();
  const dash = /^( *)-( +)$/.exec(text.slice(lineStart(text, last.range[0]), last.range[0]));
  if (!dash) throw new CannotSplice();
  const dashCol = dash[1].length;
  const keyCol = dashCol + 1 + dash[2].length;
  const lines = itemLines(entry, keyOrder(last), quoteTypes(last), dashCol, keyCol);
  let at = afterLine(text, last.range[1]);
  while (at < text.length) {
    const next = afterLine(text, at + 1);
    const comment = /^( *)#/.exec(text.slice(at, next));
    if (!comment || comment[1].length <= dashCol) break;
    at = next;
  }
  return insertLines(text, src.eol, at, lines);
}
function blockFromEmptyFlow(src, pair, lines, indent) {
  const node = pair.value;
  if (!node.range) throw new CannotSplice();
  const col = indent ?? keyColumn(src, pair) + indentUnit(src);
  let start = node.range[0];
  while (start > 0 && (src.text[start - 1] === " " || src.text[start - 1] === "	")) start--;
  const without = src.text.slice(0, start) + src.text.slice(node.range[1]);
  return insertLines(without, src.eol, afterLine(without, start), lines.map((l) => " ".repeat(col) + l));
}
function itemLines(entry, order, quotes, dashCol, keyCol) {
  const keys = order.filter((k) => entry[k] !== void 0);
  return keys.map((k, i) => {
    const prefix = i === 0 ? " ".repeat(dashCol) + "-" + " ".repeat(Math.max(1, keyCol - dashCol - 1)) : " ".repeat(keyCol);
    return `${prefix}${k}: ${formatScalar(entry[k], quotes[k])}`;
  });
}
function keyOrder(item) {
  const order = item.items.map((p) => keyText(p)).filter((k) => CANONICAL_KEYS.includes(k));
  CANONICAL_KEYS.forEach((k, ci) => {
    if (order.includes(k)) return;
    let pos = 0;
    for (let j = ci - 1; j >= 0; j--) {
      const p = order.indexOf(CANONICAL_KEYS[j]);
      if (p !== -1) {
        pos = p + 1;
        break;
      }
    }
    order.splice(pos, 0, k);
  });
  return order;
}
function quoteTypes(item) {
  const out = {};
  for (const p of item.items) {
    if ((0, import_yaml.isScalar)(p.value) && typeof p.value.value === "string" && p.value.type) out[keyText(p)] = p.value.type;
  }
  return out;
}
function pairOf(map, key) {
  return map.items.find((p) => keyText(p) === key);
}
function keyText(p) {
  return (0, import_yaml.isScalar)(p.key) ? String(p.key.value) : String(p.key);
}
function nodeStart(node) {
  const r = node?.range;
  if (!r) throw new CannotSplice();
  return r[0];
}
function nodeEnd(node) {
  const r = node?.range;
  if (!r) throw new CannotSplice();
  return r[1];
}
function pairEnd(p) {
  if (!p) throw new CannotSplice();
  return p.value ? nodeEnd(p.value) : nodeEnd(p.key);
}
function keyColumn(src, p) {
  return column(src.text, nodeStart(p?.key));
}
function indentUnit(src) {
  const { text } = src;
  const aliases = pairOf(src.root, "aliases");
  if (aliases && (0, import_yaml.isMap)(aliases.value) && !aliases.value.flow && aliases.value.items.length) {
    const unit = keyColumn(src, aliases.value.items[0]) - keyColumn(src, aliases);
    if (unit > 0) return unit;
  }
  const versions = pairOf(src.root, "versions");
  const first = (0, import_yaml.isSeq)(versions?.value) && !versions.value.flow ? versions.value.items[0] : void 0;
  if (versions && (0, import_yaml.isMap)(first) && first.range) {
    const dash = /^( *)-( +)$/.exec(text.slice(lineStart(text, first.range[0]), first.range[0]));
    if (dash) {
      const unit = dash[1].length - keyColumn(src, versions);
      return unit > 0 ? unit : 1 + dash[2].length;
    }
  }
  return 2;
}
function replaceScalar(text, node, value) {
  if (!(0, import_yaml.isScalar)(node) || node.anchor || node.tag || !node.range) throw new CannotSplice();
  const [start, end] = node.range;
  return text.slice(0, start) + formatScalar(value, node.type) + text.slice(end);
}
function formatScalar(value, type) {
  if (typeof value === "number") return String(value);
  if (type === "QUOTE_DOUBLE") return JSON.stringify(value);
  if (type === "QUOTE_SINGLE" && !/[\r\n]/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  if (type !== void 0 && type !== "PLAIN" && type !== "QUOTE_SINGLE") throw new CannotSplice();
  const plain = (0, import_yaml.stringify)(value, { version: "1.2", lineWidth: 0 }).replace(/\n$/, "");
  return plain.includes("\n") ? JSON.stringify(value) : plain;
}
function lineStart(text, offset) {
  return text.lastIndexOf("\n", offset - 1) + 1;
}
function afterLine(text, offset) {
  if (offset > 0 && text[offset - 1] === "\n") return offset;
  const nl = text.indexOf("\n", offset);
  return nl === -1 ? text.length : nl + 1;
}
function column(text, offset) {
  return offset - lineStart(text, offset);
}
function insertLines(text, eol, at, lines) {
  const needsBreak = at === text.length && text.length > 0 && !text.endsWith("\n");
  return text.slice(0, at) + (needsBreak ? eol : "") + lines.map((l) => l + eol).join("") + text.slice(at);
}

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
  const file = manifestPath(cur.layout, model);
  const log = await git(["log", "--first-parent", "--reverse", "--format=%H", "HEAD", "--", file], { cwd: cur.root, allowFail: true });
  if (log.code !== 0) return [];
  const holders = [];
  for (const sha of log.stdout.split("\n").filter(Boolean)) {
    const shown = await git(["show", `${sha}:${file}`], { cwd: cur.root, allowFail: true });
    if (shown.code !== 0) continue;
    try {
      const m = loadManifest(shown.stdout, file, { singleProduction: false }).manifest;
      const holder = target === "Production" ? m.versions.find((v) => v.stage === "Production")?.version : m.aliases[target.slice(1)];
      if (holder !== void 0) holders.push(holder);
    } catch {
    }
  }
  return dedupeRuns(holders);
}
function dedupeRuns(xs) {
  return xs.filter((x, i) => i === 0 || xs[i - 1] !== x);
}

// src/commands/decide.ts
async function decide(opts, model, makePlan) {
  assertModelName(model);
  const once = async () => {
    const cur = await readCurrent(opts.repo, model);
    if ((opts.commit || opts.push) && !opts.dryRun) await assertCommitted(cur.root, [manifestPath(cur.layout, model), auditPath(cur.layout, model)]);
    return applyPlan(opts, cur, await makePlan(cur));
  };
  if (!opts.push || opts.dryRun) return once();
  return runPushed({ repo: opts.repo, once, committed: (o) => o.written, redoing: "judging", ...opts.onProgress ? { onProgress: opts.onProgress } : {} });
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
var stageAction = (t) => t.kind === "alias" ? "alias" : t.kind === "register" ? "register" : t.to === "Archived" ? "archive" : "promote";
function promote(opts, model, version, to) {
  const target = parseTarget(to);
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
    return { model, text: next, actionOf: stageAction, primary: version, subject: `${model} v${version} ${v.stage} -> ${target}` };
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
    const file = loaded.file;
    const rollbackAction = (t) => t.to === "Production" || t.kind === "alias" ? "rollback" : stageAction(t);
    if (target.alias) {
      const current2 = loaded.manifest.aliases[target.alias];
      if (current2 === void 0) throw new InputError(`${model} has no alias '${target.alias}'`);
      const to2 = target.to ?? await previousHolder(cur, model, `@${target.alias}`, current2);
      requireVersion(cur, model, to2);
      return { model, text: setAlias(text, file, target.alias, to2), actionOf: rollbackAction, via: "rollback", primary: to2, subject: `${model} @${target.alias} v${current2} -> v${to2}` };
    }
    const current = loaded.manifest.versions.find((v2) => v2.stage === "Production");
    const to = target.to ?? await previousHolder(cur, model, "Production", current?.version);
    const { v } = requireVersion(cur, model, to);
    if (v.stage === "Production") throw new InputError(`${model} v${to} is already in Production`);
    let next = setStage(text, file, to, "Production");
    if (current) next = setStage(next, file, current.version, "Archived");
    return { model, text: next, actionOf: rollbackAction, via: "rollback", primary: to, subject: `${model} rollback v${current?.version ?? "-"} -> v${to}` };
  });
}
function register(opts, model, run, artifact) {
  return decide(opts, model, async (cur) => {
    const runRef = isS3Uri(run) ? run : normalizeRepoPath(run);
    const artifactRef = artifact === void 0 ? void 0 : isS3Uri(artifact) ? artifact : normalizeRepoPath(artifact);
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
    const file = manifestPath(cur.layout, model);
    const text = addVersion(cur.manifestText ?? newManifestText(model), file, entry);
    return { model, text, actionOf: () => "register", primary: version, subject: `${model} v${version} registered` };
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
