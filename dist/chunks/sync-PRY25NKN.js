import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  escapeMarkdown
} from "./chunk-JVJNO3D2.js";
import {
  neutralizeWorkflowCommands,
  painter,
  plural,
  printable,
  toJson
} from "./chunk-PYSCYDZ7.js";
import "./chunk-CCN2QAD7.js";

// src/report/sync.ts
function syncSummary(o) {
  const all = o.models.flatMap((m) => m.actions);
  return { differences: all.length, done: all.filter((a) => a.status === "done").length, notDone: all.filter((a) => a.status === "not-done").length };
}
function renderSync(o, format, opts) {
  if (format === "json") return syncJson(o);
  if (format === "markdown") return neutralizeWorkflowCommands(syncMarkdown(o));
  return neutralizeWorkflowCommands(syncText(o, opts.color));
}
function syncJson(o) {
  const summary = syncSummary(o);
  return toJson({
    schemaVersion: 1,
    trackingUri: o.trackingUri,
    dryRun: o.dryRun,
    // Dry run: nothing differs. Sync: every difference was written.
    inSync: o.dryRun ? summary.differences === 0 : summary.notDone === 0 && o.error === void 0,
    summary,
    models: o.models.map((m) => ({ model: m.model, registeredModel: m.registeredModel, actions: m.actions, notes: m.notes })),
    error: o.error ?? null
  });
}
function verdict(o) {
  const s = syncSummary(o);
  if (o.dryRun) return s.differences === 0 ? "dry run: MLflow matches git; nothing to write" : `dry run: ${plural(s.differences, "difference")}; nothing was written`;
  if (o.error !== void 0) return `stopped part-way: ${s.done} done, ${s.notDone} not done; re-run sync to complete it`;
  return s.differences === 0 ? "MLflow already matches git: nothing written" : `synced: ${plural(s.done, "write")}; MLflow matches git`;
}
var MARK = { pending: "differs", done: "done", "not-done": "not done" };
function syncText(o, color) {
  const paint = painter(color);
  const lines = [];
  for (const m of o.models) {
    const named = m.registeredModel === m.model ? "" : ` (MLflow: ${printable(m.registeredModel)})`;
    lines.push(`${paint("bold", printable(m.model))}${named}`);
    if (m.actions.length === 0 && m.notes.length === 0) lines.push(paint("dim", "  in step with git"));
    for (const a of m.actions) {
      const hue = a.status === "done" ? "green" : a.status === "not-done" ? "red" : "yellow";
      lines.push(`  ${paint(hue, MARK[a.status].padEnd(8))} ${printable(a.description)}`);
    }
    for (const n of m.notes) lines.push(`  ${paint("dim", "note".padEnd(8))} ${printable(n)}`);
  }
  if (o.models.length === 0) lines.push("no models in the registry");
  lines.push(verdict(o));
  return lines.join("\n");
}
function syncMarkdown(o) {
  const out = [`### modelgate sync mlflow${o.dryRun ? " (dry run)" : ""}`, ""];
  for (const m of o.models) {
    const named = m.registeredModel === m.model ? "" : ` (MLflow: ${escapeMarkdown(m.registeredModel)})`;
    out.push(`**${escapeMarkdown(m.model)}**${named}`, "");
    if (m.actions.length === 0 && m.notes.length === 0) out.push("- in step with git");
    for (const a of m.actions) out.push(`- ${MARK[a.status]}: ${escapeMarkdown(a.description)}`);
    for (const n of m.notes) out.push(`- note: ${escapeMarkdown(n)}`);
    out.push("");
  }
  out.push(escapeMarkdown(verdict(o)), "");
  return out.join("\n");
}
export {
  renderSync,
  syncSummary
};
