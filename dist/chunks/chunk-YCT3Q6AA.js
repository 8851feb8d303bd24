import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  escapeMarkdown,
  escapeMermaid,
  mdDetails,
  mdTable
} from "./chunk-JVJNO3D2.js";
import {
  formatNumber,
  neutralizeWorkflowCommands,
  painter,
  plural,
  printable,
  shortHash,
  table,
  toJson,
  transitionLabel,
  truncate
} from "./chunk-PYSCYDZ7.js";

// src/report/check.ts
var SUMMARY_LIMIT_BYTES = 1024 * 1024 - 32 * 1024;
var COMMENT_LIMIT_CHARS = 65e3;
function renderCheck(report, format, opts) {
  if (format === "json") return toJson(checkReportJson(report));
  if (format === "markdown") return neutralizeWorkflowCommands(renderMarkdown(report));
  return neutralizeWorkflowCommands(renderText(report, opts));
}
function checkReportJson(report) {
  return {
    schemaVersion: report.schemaVersion,
    decision: report.decision,
    summary: {
      transitions: report.summary.transitions,
      allowed: report.summary.allowed,
      denied: report.summary.denied,
      warnings: report.summary.warnings
    },
    transitions: report.transitions.map(transitionJson),
    ...report.checks && report.checks.length > 0 ? { checks: report.checks.map(checkJson) } : {}
  };
}
function transitionJson(t) {
  return {
    model: t.model,
    version: t.version,
    from: t.from,
    to: t.to,
    decision: t.decision,
    checks: t.checks.map(checkJson),
    kind: t.kind,
    via: t.via,
    previousVersion: t.previousVersion,
    file: t.file,
    line: t.line,
    lineage: t.lineage && {
      run: t.lineage.run,
      runId: t.lineage.runId,
      dataVersion: t.lineage.dataVersion,
      gitCommit: t.lineage.gitCommit,
      artifact: t.lineage.artifact,
      digest: t.lineage.digest
    },
    evidence: t.evidence && {
      metrics: t.evidence.metrics,
      baseline: t.evidence.baseline && { version: t.evidence.baseline.version, metrics: t.evidence.baseline.metrics }
    }
  };
}
function checkJson(c) {
  return {
    id: c.id,
    status: c.status,
    level: c.level,
    message: c.message,
    actual: c.actual,
    expected: c.expected,
    policy: c.policy,
    waiver: c.waiver && {
      reason: c.waiver.reason,
      expires: c.waiver.expires,
      approvedBy: c.waiver.approvedBy,
      expired: c.waiver.expired,
      unused: c.waiver.unused
    },
    baseline: c.baseline && { version: c.baseline.version, value: c.baseline.value }
  };
}
function isNotable(c) {
  return c.status !== "pass" || c.waiver !== void 0;
}
function transitionName(t) {
  return `${t.model} v${t.version}`;
}
function movement(t) {
  if (t.kind === "modify") return `${t.from ?? "None"} (changed in place)`;
  const { from, to } = transitionLabel(t.from, t.to);
  const was = t.previousVersion !== void 0 ? ` (was v${t.previousVersion})` : "";
  const via = t.via ? ` (${t.via})` : "";
  return `${from} \u2192 ${to}${was}${via}`;
}
function waiverNote(c) {
  const w = c.waiver;
  if (!w) return void 0;
  const by = w.approvedBy ? `, approved by ${w.approvedBy}` : "";
  if (w.expired) return `waiver expired ${w.expires} (${w.reason}${by})`;
  if (w.unused) return `waiver unused: the check did not fail (${w.reason}, expires ${w.expires}${by})`;
  return `waived until ${w.expires}: ${w.reason}${by}`;
}
function detailOf(c) {
  return c.policy ? `${c.message} (${c.policy})` : c.message;
}
function summaryLine(report) {
  const s = report.summary;
  const head = s.transitions === 0 ? "no transitions" : plural(s.transitions, "transition");
  const parts = [`${s.allowed} allowed`, `${s.denied} denied`, plural(s.warnings, "warning")];
  const global = report.decision === "deny" && s.denied === 0 ? "; denied by policy checks" : "";
  return `${head}: ${parts.join(", ")}${global}`;
}
var STATUS_HUE = { pass: "green", fail: "red", warn: "yellow", waived: "cyan", skipped: "dim" };
function renderText(report, opts) {
  const paint = painter(opts.color);
  const shown = (checks) => opts.verbose ? checks : checks.filter(isNotable);
  const checkRows = [];
  const rowsOf = (checks) => {
    const start = checkRows.length;
    for (const c of shown(checks)) checkRows.push(checkRowText(c, paint));
    return [start, checkRows.length];
  };
  const spans = report.transitions.map((t) => rowsOf(t.checks));
  const globalSpan = rowsOf(report.checks ?? []);
  const checkLines = table(checkRows, { indent: "    " });
  const heads = table(
    report.transitions.map((t) => {
      const deny = t.decision === "deny";
      const where = t.file ? paint("dim", printable(t.line ? `${t.file}:${t.line}` : t.file)) : "";
      return [
        `${paint(deny ? "red" : "green", deny ? "\u2717" : "\u2713")} ${paint("bold", printable(transitionName(t)))}`,
        printable(movement(t)),
        paint(deny ? "red" : "green", deny ? "DENY" : "ALLOW"),
        where
      ];
    })
  );
  const lines = [];
  report.transitions.forEach((t, i) => {
    lines.push(heads[i]);
    const [from, to] = spans[i];
    lines.push(...checkLines.slice(from, to));
    if (opts.verbose && t.lineage) lines.push(`    ${paint("dim", "lineage")}  ${printable(lineageText(t.lineage))}`);
  });
  if (globalSpan[1] > globalSpan[0]) {
    lines.push("policy checks:");
    lines.push(...checkLines.slice(globalSpan[0], globalSpan[1]));
  }
  const verdict = report.decision === "deny" ? paint("red", "\u2717") : paint("green", "\u2713");
  lines.push(`${verdict} ${summaryLine(report)}`);
  return lines.join("\n");
}
function checkRowText(c, paint) {
  const note = waiverNote(c);
  const detail = printable(detailOf(c)) + (note ? paint("cyan", ` \u2014 ${printable(note)}`) : "");
  return [paint(STATUS_HUE[c.status], c.status), printable(c.id), detail];
}
function lineageText(l) {
  return lineageNodes(l).map((n) => n.label).join(" \xB7 ");
}
var STATUS_MD = {
  pass: "\u2705 pass",
  fail: "\u274C fail",
  warn: "\u26A0\uFE0F warn",
  waived: "\u{1F7E1} waived",
  skipped: "\u23ED\uFE0F skipped"
};
function renderMarkdown(report) {
  const out = [verdictLine(report), "", escapeMarkdown(summaryLine(report))];
  for (const t of report.transitions) out.push("", ...transitionMarkdown(t));
  if (report.checks && report.checks.length > 0) {
    out.push("", "#### Policy checks", "", ...checkTable(report.checks));
  }
  return out.join("\n") + "\n";
}
function verdictLine(report) {
  const s = report.summary;
  if (report.decision === "deny") {
    if (s.denied === 0) return "### \u274C modelgate: denied by policy checks";
    return `### \u274C modelgate: ${s.denied} of ${plural(s.transitions, "transition")} denied`;
  }
  const warn = s.warnings > 0 ? ` (${plural(s.warnings, "warning")})` : "";
  if (s.transitions === 0) return `### \u2705 modelgate: no transitions to check${warn}`;
  return `### \u2705 modelgate: ${plural(s.transitions, "transition")} allowed${warn}`;
}
function transitionMarkdown(t) {
  const deny = t.decision === "deny";
  const out = [`#### ${deny ? "\u274C" : "\u2705"} ${escapeMarkdown(transitionName(t))}: ${escapeMarkdown(movement(t))} \u2014 ${deny ? "denied" : "allowed"}`];
  if (t.file) out.push("", escapeMarkdown(t.line ? `${t.file} line ${t.line}` : t.file));
  const notable = t.checks.filter(isNotable);
  const passing = t.checks.filter((c) => !isNotable(c));
  out.push("");
  if (notable.length > 0) out.push(...checkTable(notable));
  else out.push(t.checks.length > 0 ? `All ${plural(t.checks.length, "check")} pass.` : "No checks apply.");
  if (t.evidence?.baseline) out.push("", ...evidenceMarkdown(t.version, t.evidence.metrics, t.evidence.baseline));
  if (t.lineage) out.push("", ...lineageMermaid(t.lineage));
  if (passing.length > 0) {
    const rows = passing.map((c) => [`<code>${escapeMarkdown(c.id)}</code>`, escapeMarkdown(detailOf(c))]);
    out.push("", ...mdDetails(plural(passing.length, "passing check"), mdTable(["check", "detail"], rows)));
  }
  return out;
}
function checkTable(checks) {
  return mdTable(
    ["check", "status", "detail"],
    checks.map((c) => {
      const note = waiverNote(c);
      return [`<code>${escapeMarkdown(c.id)}</code>`, STATUS_MD[c.status], escapeMarkdown(detailOf(c)) + (note ? `<br>${escapeMarkdown(note)}` : "")];
    })
  );
}
function evidenceMarkdown(version, metrics, baseline) {
  const names = [.../* @__PURE__ */ new Set([...Object.keys(baseline.metrics), ...Object.keys(metrics)])].sort();
  const rows = names.map((name) => {
    const base = baseline.metrics[name];
    const mine = metrics[name];
    return [escapeMarkdown(name), base === void 0 ? "\u2014" : formatNumber(base), mine === void 0 ? "\u2014" : formatNumber(mine), delta(base, mine)];
  });
  return [
    "**Champion vs challenger**",
    "",
    ...mdTable(["metric", `baseline v${baseline.version}`, `this v${version}`, "\u0394"], rows, ["left", "right", "right", "right"])
  ];
}
function delta(base, mine) {
  if (base === void 0 || mine === void 0) return "\u2014";
  const d = mine - base;
  if (!Number.isFinite(d)) return formatNumber(d);
  const decimals = Math.min(12, Math.max(fractionDigits(base), fractionDigits(mine)));
  const fixed = d.toFixed(decimals);
  const text = /e/i.test(String(base)) || /e/i.test(String(mine)) ? String(Number(d.toPrecision(6))) : fixed;
  if (Number(text) === 0) return "\xB10";
  return d > 0 ? `+${text}` : text;
}
function fractionDigits(n) {
  const m = /\.(\d+)$/.exec(String(n));
  return m ? m[1].length : 0;
}
function lineageNodes(l) {
  const nodes = [];
  nodes.push({ id: "run", label: l.runId && l.runId !== l.run ? `run ${l.runId} (${l.run})` : `run ${l.run}` });
  if (l.dataVersion) nodes.push({ id: "data", label: `data ${l.dataVersion}` });
  if (l.gitCommit) nodes.push({ id: "commit", label: `commit ${shortHash(l.gitCommit)}` });
  if (l.artifact || l.digest) {
    const parts = [l.artifact, l.digest ? `sha256:${shortHash(l.digest)}` : void 0].filter(Boolean);
    nodes.push({ id: "artifact", label: `artifact ${parts.join(" ")}` });
  }
  return nodes;
}
function lineageMermaid(l) {
  const nodes = lineageNodes(l);
  const lines = ["```mermaid", "flowchart LR"];
  for (const n of nodes) lines.push(`  ${n.id}["${escapeMermaid(truncate(n.label, 80))}"]`);
  for (let i = 1; i < nodes.length; i++) lines.push(`  ${nodes[i - 1].id} --> ${nodes[i].id}`);
  lines.push("```");
  return lines;
}
function truncationNote(moreLines) {
  return `_report truncated: ${plural(moreLines, "more line")}; the full report is in the job summary / report file_`;
}
var FENCE = /^ {0,3}(`{3,}|~{3,})/;
var utf8 = (s) => Buffer.byteLength(s, "utf8");
function trimMarkdown(md, limit) {
  if (utf8(md) <= limit) return md;
  const lines = md.split("\n");
  const total = lines.length - (lines[lines.length - 1] === "" ? 1 : 0);
  const tailOf = (depth2, dropped) => "\n" + "</details>\n\n".repeat(depth2) + truncationNote(dropped) + "\n";
  const tailBytes = (depth2, dropped) => 2 + depth2 * "</details>\n\n".length + truncationNote(dropped).length;
  let best = { kept: 0, depth: 0 };
  let used = 0;
  let depth = 0;
  let fence;
  for (let i = 0; i < total; i++) {
    const line = lines[i];
    used += utf8(line) + 1;
    if (used > limit) break;
    const f = FENCE.exec(line);
    if (fence) {
      if (f && f[1][0] === fence.char && f[1].length >= fence.length && line.trim() === f[1]) fence = void 0;
    } else if (f) {
      fence = { char: f[1][0], length: f[1].length };
    } else {
      depth += (line.match(/<details[\s>]/g) ?? []).length;
      depth = Math.max(0, depth - (line.match(/<\/details>/g) ?? []).length);
    }
    if (fence) continue;
    if (used + tailBytes(depth, total - (i + 1)) <= limit) best = { kept: i + 1, depth };
  }
  const tail = tailOf(best.depth, total - best.kept);
  if (best.kept === 0 && utf8(tail) > limit) return cutUtf8(truncationNote(total), limit);
  return lines.slice(0, best.kept).join("\n") + (best.kept > 0 ? "\n" : "") + tail;
}
function cutUtf8(s, limit) {
  let out = "";
  for (const ch of s) {
    if (utf8(out + ch) > limit) break;
    out += ch;
  }
  return out;
}

export {
  SUMMARY_LIMIT_BYTES,
  COMMENT_LIMIT_CHARS,
  renderCheck,
  checkReportJson,
  delta,
  truncationNote,
  trimMarkdown
};
