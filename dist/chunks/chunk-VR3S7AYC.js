import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  GitObjects,
  deriveTransitions
} from "./chunk-ECHALH7R.js";
import {
  repoRoot
} from "./chunk-5ZHK5UEQ.js";
import {
  changesTouching,
  commitsTouching,
  compareWithManifest,
  manifestAt,
  readAuditState,
  versionEvidence
} from "./chunk-WVHT4QIA.js";
import {
  git
} from "./chunk-SO4SZRZT.js";
import {
  parseRecordLine,
  readLines
} from "./chunk-UVN7TA7M.js";
import {
  WorktreeState,
  assertModelName,
  assertPlainPath,
  auditPath,
  listModels,
  loadManifest,
  manifestPath,
  readLayout,
  readManifest
} from "./chunk-27FDAS2B.js";
import {
  EnvironmentError,
  InputError
} from "./chunk-RTQ2UXCO.js";

// src/commands/audit.ts
import { resolve as resolvePath } from "node:path";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
async function runAuditHistory(opts) {
  const state = new WorktreeState(resolvePath(opts.repo));
  const layout = await readLayout(state);
  const models = opts.model ? [opts.model] : await auditedModels(state, layout);
  if (opts.model) {
    assertModelName(opts.model);
    if (!await state.stat(auditPath(layout, opts.model)) && !await state.stat(manifestPath(layout, opts.model))) {
      throw new InputError(`no model named '${opts.model}'`, { hint: "run `modelgate status` to list models" });
    }
  }
  const out = [];
  for (const model of models) {
    const file = auditPath(layout, model);
    await assertPlainPath(state, file, "an audit log");
    if (!await state.stat(file)) continue;
    let n = 0;
    for await (const line of readLines(await state.openStream(file))) {
      n++;
      if (line.trim() === "") continue;
      out.push(parseRecordLine(line, file, n));
    }
  }
  return out.sort((a, b) => a.time.localeCompare(b.time) || a.model.localeCompare(b.model) || a.seq - b.seq);
}
async function auditedModels(state, layout) {
  await assertPlainPath(state, layout.audit, "the audit directory");
  const logs = (await state.list(layout.audit) ?? []).filter((n) => n.endsWith(".jsonl")).map((n) => n.slice(0, -".jsonl".length));
  return [.../* @__PURE__ */ new Set([...logs, ...await listModels(state, layout)])].sort();
}
async function runAuditVerify(opts) {
  const root = await repoRoot(resolvePath(opts.repo));
  const state = new WorktreeState(root);
  const layout = await readLayout(state);
  const models = opts.model ? [opts.model] : await auditedModels(state, layout);
  const history = await changesTouching(root, [layout.audit, layout.registry]);
  const reachable = (await git(["rev-list", "HEAD"], { cwd: root, allowFail: true })).stdout.split("\n").filter(Boolean);
  const shared = { root, layout, models, history: history.map((c) => ({ sha: c.sha, files: [...c.files] })), reachable };
  const workers = verifyThreads(models.length, opts.env);
  const verdicts = workers > 1 ? await verifyInWorkers(shared, workers) : await verifyShard(shared);
  return {
    models: models.length,
    records: verdicts.reduce((n, v) => n + v.records, 0),
    problems: verdicts.flatMap((v) => v.problems)
  };
}
async function verifyShard(input) {
  const ctx = {
    state: new WorktreeState(input.root),
    layout: input.layout,
    history: input.history.map((c) => ({ sha: c.sha, files: new Set(c.files) })),
    reachable: new Set(input.reachable),
    objects: new GitObjects(input.root)
  };
  try {
    const out = [];
    for (const model of input.models) out.push(await verifyModel(ctx, model));
    return out;
  } finally {
    ctx.objects.close();
  }
}
async function verifyModel(ctx, model) {
  const { state, layout, history, objects } = ctx;
  const problems = [];
  const file = auditPath(layout, model);
  const audit = await readAuditState(state, file, model);
  if (!audit) {
    const manifest2 = await readManifest(state, layout, model, { singleProduction: false }).catch(() => void 0);
    if (manifest2) problems.push(...await evidenceProblems(state, model, manifest2.manifest));
    return { records: 0, problems };
  }
  for (const p of audit.problems) problems.push({ model, ...p.seq !== void 0 ? { seq: p.seq } : {}, ...p.line !== void 0 ? { line: p.line } : {}, message: p.message });
  const manifest = await readManifest(state, layout, model, { singleProduction: false }).catch((e) => {
    problems.push({ model, message: `manifest unreadable: ${e.message}` });
    return void 0;
  });
  const mfile = manifestPath(layout, model);
  const logCommits = history.filter((c) => c.files.has(file)).map((c) => c.sha);
  const adoption = logCommits[0];
  const genesis = adoption ? await manifestFrom(objects, `${adoption}^`, mfile) : void 0;
  if (manifest) {
    for (const m of compareWithManifest(audit.replay, manifest.manifest, genesis)) problems.push({ model, message: m });
    problems.push(...await evidenceProblems(state, model, manifest.manifest));
  }
  problems.push(...await appendOnly(objects, model, file, logCommits));
  if (adoption) problems.push(...await coverage(objects, history, model, mfile, file, adoption, audit.sourceCommits));
  for (const sha of audit.sourceCommits) {
    if (ctx.reachable.has(sha) || sha.length < 40 && [...ctx.reachable].some((r) => r.startsWith(sha))) continue;
    problems.push({ model, commit: sha, message: `a record names commit ${sha.slice(0, 12)}, which is not in the history of HEAD (history rewritten?)` });
  }
  return { records: audit.count, problems };
}
async function evidenceProblems(state, model, manifest) {
  const out = [];
  for (const v of manifest.versions) {
    if (!v.evidence) continue;
    try {
      const now = await versionEvidence(state, v, process.env);
      if (now.digest !== v.evidence) out.push({ model, message: `v${v.version}: its evidence changed: the files of run ${v.run} hash to ${now.digest}, the manifest pins ${v.evidence}` });
    } catch (err) {
      if (err instanceof EnvironmentError) throw err;
      out.push({ model, message: `v${v.version}: its evidence could not be recomputed: ${err.message}` });
    }
  }
  return out;
}
var MODELS_PER_THREAD = 32;
function verifyThreads(models, env) {
  if (!workerScript()) return 1;
  const asked = Number(env.MODELGATE_VERIFY_THREADS);
  if (env.MODELGATE_VERIFY_THREADS !== void 0 && Number.isInteger(asked) && asked >= 1) return Math.min(asked, models);
  return Math.max(1, Math.min(availableParallelism(), 8, Math.floor(models / MODELS_PER_THREAD)));
}
function workerScript() {
  for (const rel of ["./audit-verify-worker.js", "../audit-verify-worker.js"]) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(url)) return url;
  }
  return void 0;
}
async function verifyInWorkers(input, threads) {
  const shards = Array.from({ length: threads }, (_, i) => input.models.filter((_2, j) => j % threads === i));
  const results = await Promise.all(shards.map((models) => runWorker(workerScript(), { ...input, models })));
  return input.models.map((_, j) => results[j % threads][Math.floor(j / threads)]);
}
function runWorker(script, input) {
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(script, { workerData: input });
    let settled = false;
    worker.once("message", (m) => {
      settled = true;
      if (m.ok) resolvePromise(m.verdicts);
      else reject(m.exitCode === 2 ? new InputError(m.message, { hint: m.hint }) : new EnvironmentError(m.message, { hint: m.hint }));
    });
    worker.once("error", (err) => {
      settled = true;
      reject(err);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new EnvironmentError(`an audit verification thread stopped (exit ${code}) before answering`));
    });
  });
}
async function manifestFrom(objects, rev, path) {
  const bytes = await objects.read(rev, path);
  if (bytes === void 0) return void 0;
  try {
    return loadManifest(bytes.toString("utf8"), path, { singleProduction: false }).manifest;
  } catch {
    return void 0;
  }
}
async function genesisOf(root, layout, model) {
  const history = await logHistory(root, auditPath(layout, model));
  if (!history.adoption) return void 0;
  const then = await manifestAt(root, `${history.adoption}^`, manifestPath(layout, model));
  return then.kind === "manifest" ? then.manifest : void 0;
}
async function logHistory(root, file) {
  const commits = (await commitsTouching(root, [file])).map((c) => c.sha);
  return { commits, adoption: commits[0] };
}
async function appendOnly(objects, model, file, commits) {
  const out = [];
  if (commits.length < 2) return out;
  let prev;
  for (const c of commits) {
    const bytes = await objects.read(c, file) ?? Buffer.alloc(0);
    if (prev !== void 0 && (bytes.length < prev.length || !bytes.subarray(0, prev.length).equals(prev))) {
      out.push({ model, commit: c, message: `commit ${c.slice(0, 12)} rewrote ${file} instead of appending to it` });
    }
    prev = bytes;
  }
  return out;
}
async function coverage(objects, history, model, mfile, afile, adoption, sources) {
  const out = [];
  const from = history.findIndex((c) => c.sha === adoption);
  for (const c of history.slice(from).filter((x) => x.files.has(mfile))) {
    if (sources.has(c.sha) || c.files.has(afile)) continue;
    const before = await manifestFrom(objects, `${c.sha}^`, mfile);
    const after = await manifestFrom(objects, c.sha, mfile);
    const changes = deriveTransitions(model, before, after).filter((t) => t.kind === "stage" || t.kind === "alias" || t.kind === "register" && t.to !== "None");
    for (const t of changes) {
      out.push({ model, commit: c.sha, message: `commit ${c.sha.slice(0, 12)} moved v${t.version} ${t.from ?? "new"} -> ${t.to} without an audit record; run \`modelgate record\`` });
    }
  }
  return out;
}

export {
  runAuditHistory,
  runAuditVerify,
  verifyShard,
  genesisOf
};
