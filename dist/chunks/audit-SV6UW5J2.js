import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  escapeMarkdown,
  mdTable
} from "./chunk-JVJNO3D2.js";
import {
  neutralizeWorkflowCommands,
  plural,
  printable,
  shortHash,
  table,
  toJson,
  transitionLabel,
  truncate
} from "./chunk-PYSCYDZ7.js";
import "./chunk-CCN2QAD7.js";

// src/report/audit.ts
var REASON_WIDTH = 40;
function shortTime(iso) {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(iso);
  return m ? `${m[1]} ${m[2]}Z` : iso;
}
function change(r) {
  const { from, to } = transitionLabel(r.from, r.to);
  return r.removed ? `${to} removed` : `${from} \u2192 ${to}`;
}
function renderAuditHistory(records, format) {
  if (format === "json") return toJson(records);
  if (format === "markdown") return neutralizeWorkflowCommands(historyMarkdown(records));
  if (records.length === 0) return "no audit records";
  const rows = records.map((r) => [
    shortTime(r.time),
    r.model,
    `v${r.version}`,
    change(r),
    r.actor,
    r.action,
    truncate(r.reason ?? "", REASON_WIDTH),
    shortHash(r.hash)
  ]);
  const header = ["time", "model", "version", "change", "actor", "action", "reason", "hash"];
  return neutralizeWorkflowCommands(table([header, ...rows.map((row) => row.map(printable))]).join("\n"));
}
function historyMarkdown(records) {
  if (records.length === 0) return "No audit records.\n";
  const rows = records.map(
    (r) => [shortTime(r.time), r.model, `v${r.version}`, change(r), r.actor, r.action, truncate(r.reason ?? "", 200), shortHash(r.hash)].map(escapeMarkdown)
  );
  return mdTable(["time", "model", "version", "change", "actor", "action", "reason", "hash"], rows).join("\n") + "\n";
}
function whereOf(p) {
  const parts = [];
  if (p.seq !== void 0) parts.push(`record ${p.seq}${p.line !== void 0 ? ` (line ${p.line})` : ""}`);
  else if (p.line !== void 0) parts.push(`line ${p.line}`);
  if (p.commit) parts.push(`commit ${shortHash(p.commit)}`);
  return parts.join(", ");
}
function renderVerifyProblems(problems, format, totals) {
  const scope = `${plural(totals.models, "model")}, ${plural(totals.records, "record")}`;
  if (format === "json") {
    return toJson({ ok: problems.length === 0, models: totals.models, records: totals.records, problems });
  }
  if (format === "markdown") {
    if (problems.length === 0) return `### \u2705 audit verified: ${scope}
`;
    const rows = problems.map((p) => [escapeMarkdown(p.model), escapeMarkdown(whereOf(p)), escapeMarkdown(p.message)]);
    const md = [`### \u274C audit verify: ${plural(problems.length, "problem")} in ${scope}`, "", ...mdTable(["model", "where", "problem"], rows)];
    return neutralizeWorkflowCommands(md.join("\n") + "\n");
  }
  if (problems.length === 0) return `\u2713 audit verified: ${scope}`;
  const lines = problems.map((p) => {
    const where = whereOf(p);
    return `\u2717 ${printable(p.model)}${where ? ` ${where}` : ""}: ${printable(p.message)}`;
  });
  lines.push(`\u2717 ${plural(problems.length, "problem")} in ${scope}`);
  return neutralizeWorkflowCommands(lines.join("\n"));
}
export {
  renderAuditHistory,
  renderVerifyProblems
};
