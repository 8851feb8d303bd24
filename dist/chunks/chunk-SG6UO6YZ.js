import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  git
} from "./chunk-SO4SZRZT.js";

// src/repo/changes.ts
async function changedFiles(root, base, head) {
  const range = head === void 0 ? [base] : [base, head];
  const diff = await git(["diff", "--name-status", "--no-renames", "-z", ...range, "--"], { cwd: root });
  const out = /* @__PURE__ */ new Map();
  const parts = diff.stdout.split("\0");
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const status = parts[i].charAt(0);
    out.set(parts[i + 1], status === "A" || status === "D" || status === "T" ? status : "M");
  }
  if (head === void 0) {
    const untracked = await git(["ls-files", "--others", "--exclude-standard", "-z"], { cwd: root });
    for (const p of untracked.stdout.split("\0").filter(Boolean)) out.set(p, "A");
  }
  return out;
}

export {
  changedFiles
};
