import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  setEvidence
} from "./chunk-SJ2Z7QRL.js";
import {
  land
} from "./chunk-BBTD4EPZ.js";
import {
  assertCommitted
} from "./chunk-HCY2ODEW.js";
import "./chunk-VEV7GLFQ.js";
import {
  takeBack
} from "./chunk-KJYE4KVK.js";
import "./chunk-MFRRL4OI.js";
import "./chunk-W7Z66SK3.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-BSSGNPR6.js";
import "./chunk-OXAEU5UG.js";
import "./chunk-VR3S7AYC.js";
import "./chunk-ECHALH7R.js";
import {
  repoRoot
} from "./chunk-5ZHK5UEQ.js";
import {
  versionEvidence
} from "./chunk-WVHT4QIA.js";
import "./chunk-SO4SZRZT.js";
import {
  writeFileAtomic
} from "./chunk-UVN7TA7M.js";
import "./chunk-AKFKUSU4.js";
import "./chunk-E2G34L76.js";
import "./chunk-D7WOBC7Y.js";
import "./chunk-PNMDNJGF.js";
import {
  WorktreeState,
  assertModelName,
  listModels,
  loadManifest,
  manifestPath,
  readLayout
} from "./chunk-27FDAS2B.js";
import "./chunk-HYWAOBHT.js";
import "./chunk-JOPA73JY.js";
import {
  InputError
} from "./chunk-RTQ2UXCO.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";

// src/commands/pin.ts
import { join, resolve } from "node:path";
async function runPin(opts) {
  return land({ repo: opts.repo, commit: opts.commit && !opts.dryRun, redoing: "pinning" }, () => pinOnce(opts));
}
async function pinOnce(opts) {
  const root = await repoRoot(resolve(opts.repo));
  const work = new WorktreeState(root);
  const layout = await readLayout(work);
  if (opts.model !== void 0) assertModelName(opts.model);
  const models = opts.model !== void 0 ? [opts.model] : await listModels(work, layout);
  const pinned = [];
  const edits = [];
  for (const model of models) {
    const file = manifestPath(layout, model);
    const original = await work.readText(file);
    if (original === void 0) throw new InputError(`no model named '${model}'`, { hint: `expected ${file}` });
    let text = original;
    for (const v of loadManifest(original, file, { singleProduction: false }).manifest.versions) {
      if (v.evidence) continue;
      const { digest } = await versionEvidence(work, v, opts.env);
      text = setEvidence(text, file, v.version, digest);
      pinned.push({ model, version: v.version, evidence: digest });
    }
    if (text !== original) edits.push({ file, text });
  }
  if (edits.length === 0 || opts.dryRun) return { result: { pinned, written: false } };
  if (opts.commit) await assertCommitted(root, edits.map((e) => e.file));
  const writes = [];
  try {
    for (const e of edits) writes.push(await writeFileAtomic(join(root, e.file), e.text));
  } catch (err) {
    throw await takeBack(root, [], writes, err);
  }
  const files = edits.map((e) => e.file);
  const message = `modelgate: pin evidence of ${pinned.length} version${pinned.length === 1 ? "" : "s"}

${pinned.map((p) => `${p.model} v${p.version}: ${p.evidence}`).join("\n")}
`;
  return { result: { pinned, written: true }, change: { files, message, writes } };
}
export {
  runPin
};
