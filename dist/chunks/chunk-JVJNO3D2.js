import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  printable
} from "./chunk-PYSCYDZ7.js";

// src/report/markdown.ts
var LINE_BREAKS = /\r\n|[\n\r\u0085\u2028\u2029]/g;
function escapeMarkdown(text) {
  return printable(text.replace(LINE_BREAKS, " ")).replace(/[\\`*_[\]|~#]/g, "\\$&").replace(/#(?=\d)/g, "#\u200D").replace(/\b(GH-)(?=\d)/gi, "$1\u200D").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\$/g, "&#36;").replace(/@/g, "@\u200D").replace(/:(?=\/\/)/g, ":\u200D").replace(/(www)(?=\.)/gi, "$1\u200D").replace(/((?:mailto|xmpp):)/gi, "$1\u200D").replace(/^(\s*)([-+=:]|\d+(?=[.)]))/, (_m, space, lead) => /\d/.test(lead) ? `${space}${lead}\\` : `${space}\\${lead}`);
}
var MERMAID_SAFE = /[A-Za-z0-9 ._\-/:,+=]/;
function escapeMermaid(text) {
  let out = "";
  for (const ch of text.replace(LINE_BREAKS, " ")) {
    out += MERMAID_SAFE.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  }
  return out;
}
function mdTable(header, rows, align) {
  const line = (cells) => `| ${cells.map((c) => c === "" ? " " : c).join(" | ")} |`;
  const rule = header.map((_h, i) => align?.[i] === "right" ? "---:" : "---");
  return [line(header), `|${rule.join("|")}|`, ...rows.map((r) => line(r))];
}
function mdDetails(summary, body) {
  return [`<details><summary>${summary}</summary>`, "", ...body, "", "</details>"];
}

export {
  escapeMarkdown,
  escapeMermaid,
  mdTable,
  mdDetails
};
