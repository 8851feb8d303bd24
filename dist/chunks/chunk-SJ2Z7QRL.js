import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  ALIAS_NAME_PATTERN,
  DIGEST_PATTERN,
  STAGES,
  loadManifest,
  versionOf
} from "./chunk-27FDAS2B.js";
import {
  require_dist
} from "./chunk-HYWAOBHT.js";
import {
  InputError,
  InputErrors
} from "./chunk-RTQ2UXCO.js";
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
function setEvidence(text, file, version, evidence) {
  return setDigestField(text, file, version, "evidence", evidence);
}
var WRITTEN_AFTER = { digest: ["artifact", "run"], evidence: ["digest", "artifact", "run"] };
function setDigestField(text, file, version, key, value) {
  if (!DIGEST_PATTERN.test(value)) {
    throw new InputError(`'${value}' is not a sha256 digest`, { location: { file }, hint: "a digest is sha256: followed by 64 lowercase hex digits" });
  }
  return edit(text, file, {
    intended: (m) => {
      const i = versionIndex(m, file, version);
      return { ...m, versions: m.versions.map((v, j) => j === i ? versionOf({ ...v, [key]: value }) : v) };
    },
    splice: (src) => spliceDigestField(src, version, key, value),
    document: (doc, m) => {
      const item = doc.getIn(["versions", versionIndex(m, file, version)], true);
      if (!(0, import_yaml.isMap)(item)) throw new CannotSplice();
      if (item.has(key)) return void item.set(key, value);
      const after = Math.max(...WRITTEN_AFTER[key].map((k) => indexOfKey(item, k)));
      item.items.splice(after + 1, 0, doc.createPair(key, value));
    }
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
function spliceDigestField(src, version, key, value) {
  const { text } = src;
  const item = versionItem(src, version);
  const existing = pairOf(item, key);
  if (existing) return replaceScalar(text, existing.value, value);
  if (item.flow) throw new CannotSplice();
  const after = WRITTEN_AFTER[key].map((k) => pairOf(item, k)).find((p) => p !== void 0);
  if (!after) throw new CannotSplice();
  const keyStart = nodeStart(after.key);
  if (!startsLine(text, keyStart)) throw new CannotSplice();
  return insertLines(text, src.eol, afterLine(text, pairEnd(after)), [`${" ".repeat(column(text, keyStart))}${key}: ${formatScalar(value)}`]);
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
function indexOfKey(map, key) {
  return map.items.findIndex((p) => keyText(p) === key);
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
function startsLine(text, offset) {
  return /^ *(?:- +)?$/.test(text.slice(lineStart(text, offset), offset));
}
function insertLines(text, eol, at, lines) {
  const needsBreak = at === text.length && text.length > 0 && !text.endsWith("\n");
  return text.slice(0, at) + (needsBreak ? eol : "") + lines.map((l) => l + eol).join("") + text.slice(at);
}

export {
  setStage,
  setAlias,
  setEvidence,
  addVersion
};
