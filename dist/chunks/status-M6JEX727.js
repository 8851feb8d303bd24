import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  escapeMarkdown,
  mdTable
} from "./chunk-JVJNO3D2.js";
import {
  formatNumber,
  neutralizeWorkflowCommands,
  painter,
  printable,
  table,
  toJson
} from "./chunk-PYSCYDZ7.js";
import "./chunk-CCN2QAD7.js";

// src/report/status.ts
var ARCHIVED_SHOWN = 3;
var STAGE_ORDER = { Production: 0, Staging: 1, None: 2, Archived: 3 };
var STAGE_HUE = { Production: "green", Staging: "yellow", None: "cyan", Archived: "dim" };
function orderVersions(versions) {
  const sorted = [...versions].sort((a, b) => STAGE_ORDER[a.stage] - STAGE_ORDER[b.stage] || b.version - a.version);
  let archived = 0;
  const shown = sorted.filter((v) => v.stage !== "Archived" || v.aliases.length > 0 || ++archived <= ARCHIVED_SHOWN);
  return { shown, hiddenArchived: versions.length - shown.length };
}
function renderStatus(views, format, opts) {
  if (format === "json") return toJson(views);
  if (format === "markdown") return neutralizeWorkflowCommands(statusMarkdown(views));
  return neutralizeWorkflowCommands(statusText(views, opts.color));
}
function metricsText(m) {
  if (!m) return "";
  return Object.entries(m).map(([k, v]) => `${k}=${formatNumber(v)}`).join("  ");
}
function metaOf(v) {
  return [v.owner ? `owner ${v.owner}` : "", v.riskTier ? `risk ${v.riskTier}` : ""].filter(Boolean);
}
function statusText(views, color) {
  if (views.length === 0) return "no models in the registry";
  const paint = painter(color);
  const blocks = views.map((view) => {
    const meta = metaOf(view);
    const head = `${paint("bold", printable(view.model))}${meta.length ? `  (${printable(meta.join(", "))})` : ""}  ${paint("dim", printable(view.file))}`;
    const { shown, hiddenArchived } = orderVersions(view.versions);
    if (view.versions.length === 0) return [head, "  no versions registered"].join("\n");
    const rows = shown.map((v) => [
      `v${v.version}`,
      paint(STAGE_HUE[v.stage], v.stage),
      printable(v.aliases.map((a) => `@${a}`).join(" ")),
      printable(v.run),
      printable(metricsText(v.metrics))
    ]);
    const lines = [head, ...table([["version", "stage", "aliases", "run", "metrics"].map((h) => paint("dim", h)), ...rows], { indent: "  " })];
    if (hiddenArchived > 0) lines.push(paint("dim", `  \u2026 and ${hiddenArchived} more archived`));
    return lines.join("\n");
  });
  return blocks.join("\n\n");
}
function statusMarkdown(views) {
  if (views.length === 0) return "No models in the registry.\n";
  const out = [];
  for (const view of views) {
    if (out.length > 0) out.push("");
    out.push(`### ${escapeMarkdown(view.model)}`, "");
    const meta = metaOf(view);
    out.push(escapeMarkdown([view.file, ...meta].join(" \xB7 ")), "");
    if (view.versions.length === 0) {
      out.push("No versions registered.");
      continue;
    }
    const { shown, hiddenArchived } = orderVersions(view.versions);
    out.push(
      ...mdTable(
        ["version", "stage", "aliases", "run", "metrics"],
        shown.map((v) => [
          `v${v.version}`,
          v.stage,
          escapeMarkdown(v.aliases.map((a) => `@${a}`).join(" ")),
          escapeMarkdown(v.run),
          escapeMarkdown(metricsText(v.metrics))
        ])
      )
    );
    if (hiddenArchived > 0) out.push("", `\u2026 and ${hiddenArchived} more archived`);
  }
  return out.join("\n") + "\n";
}
export {
  ARCHIVED_SHOWN,
  orderVersions,
  renderStatus
};
