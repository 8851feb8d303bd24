import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);

// src/report/text.ts
import { stripVTControlCharacters } from "node:util";
var SGR = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22]
};
function painter(color) {
  if (!color) return (_hue, text) => text;
  return (hue, text) => text === "" ? text : `\x1B[${SGR[hue][0]}m${text}\x1B[${SGR[hue][1]}m`;
}
var UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
var NAMED = { "\n": "\\n", "\r": "\\r", "	": "\\t" };
function escapeCodeUnit(c) {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code < 256 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}
function printable(text) {
  return text.replace(UNPRINTABLE, escapeCodeUnit);
}
function truncate(text, max) {
  const points = [...text];
  if (points.length <= max) return text;
  return points.slice(0, Math.max(0, max - 1)).join("") + "\u2026";
}
function displayWidth(text) {
  let width = 0;
  for (const ch of stripVTControlCharacters(text)) {
    if (new RegExp("\\p{M}|\\u200d|[\\ufe00-\\ufe0f]", "u").test(ch)) continue;
    width += isWide(ch) ? 2 : 1;
  }
  return width;
}
function isWide(ch) {
  const cp = ch.codePointAt(0) ?? 0;
  return cp >= 126976 && new RegExp("\\p{Extended_Pictographic}", "u").test(ch) || cp >= 4352 && cp <= 4447 || cp >= 11904 && cp <= 42191 || cp >= 44032 && cp <= 55203 || cp >= 63744 && cp <= 64255 || cp >= 65072 && cp <= 65103 || cp >= 65280 && cp <= 65376 || cp >= 65504 && cp <= 65510 || cp >= 131072 && cp <= 262141;
}
function table(rows, opts = {}) {
  const indent = opts.indent ?? "";
  const gap = opts.gap ?? "  ";
  const widths = [];
  for (const row of rows) row.forEach((cell, i) => widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell)));
  return rows.map((row) => {
    let last = row.length - 1;
    while (last > 0 && row[last] === "") last--;
    const cells = row.slice(0, last + 1).map((cell, i) => {
      const pad = " ".repeat((widths[i] ?? 0) - displayWidth(cell));
      if (opts.align?.[i] === "right") return pad + cell;
      return i === last ? cell : cell + pad;
    });
    return indent + cells.join(gap);
  });
}
function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}
function formatNumber(n) {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
  return String(n);
}
function neutralizeWorkflowCommands(text) {
  return text.split(/\r\n|\r|\n/).map((line) => inertLegacy(line).replace(COMMAND_AT_START, "$1\\::")).join("\n");
}
var COMMAND_AT_START = /^([\s\u0085]*)::/;
function inertLegacy(text) {
  return text.replace(/##\[/g, "##\\[");
}
function transitionLabel(from, to) {
  return { from: from ?? "new", to: to ?? "removed" };
}
var JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
function toJson(value) {
  const text = JSON.stringify(value, (_k, x) => typeof x === "number" && !Number.isFinite(x) ? formatNumber(x) : typeof x === "bigint" ? String(x) : x);
  return text.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).replace(/##\[/g, "##\\u005b");
}
function shortHash(h, length = 12) {
  if (!h) return "";
  return h.replace(/^sha256:/, "").slice(0, length);
}

export {
  painter,
  printable,
  truncate,
  displayWidth,
  table,
  plural,
  formatNumber,
  neutralizeWorkflowCommands,
  inertLegacy,
  transitionLabel,
  toJson,
  shortHash
};
