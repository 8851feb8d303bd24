import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  setEvidence
} from "./chunk-JBB2R5EU.js";
import {
  assertCommitted,
  commitFiles,
  takeBack
} from "./chunk-CELR6VI7.js";
import "./chunk-ENWDNFQH.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-Y7WZGVHD.js";
import {
  repoRoot
} from "./chunk-S36TAI46.js";
import {
  versionEvidence,
  writeFileAtomic
} from "./chunk-72JV3TRO.js";
import "./chunk-PFSJN6VZ.js";
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
} from "./chunk-3UWGGRDM.js";
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
  if (edits.length === 0 || opts.dryRun) return { pinned, written: false };
  if (opts.commit) await assertCommitted(root, edits.map((e) => e.file));
  const writes = [];
  try {
    for (const e of edits) writes.push(await writeFileAtomic(join(root, e.file), e.text));
  } catch (err) {
    throw await takeBack(root, [], writes, err);
  }
  let commit;
  try {
    if (opts.commit) {
      const files = edits.map((e) => e.file);
      const message = `modelgate: pin evidence of ${pinned.length} version${pinned.length === 1 ? "" : "s"}

${pinned.map((p) => `${p.model} v${p.version}: ${p.evidence}`).join("\n")}
`;
      commit = await commitFiles(root, { files, message }).catch(async (err) => {
        throw await takeBack(root, files, writes, err);
      });
    }
  } finally {
    for (const w of writes) await w.keep();
  }
  return { pinned, written: true, ...commit ? { commit } : {} };
}
export {
  runPin
};
