import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  git
} from "./chunk-SO4SZRZT.js";
import {
  EnvironmentError,
  InputError
} from "./chunk-RTQ2UXCO.js";

// src/git/history.ts
async function headSha(root) {
  const r = await git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], { cwd: root, allowFail: true });
  if (r.code === 0) return r.stdout.trim();
  if (r.code === 1) throw new InputError("the repository has no commits yet", { hint: "commit your registry first" });
  throw new EnvironmentError(`git rev-parse HEAD failed in ${root}: ${r.stderr.trim()}`, { hint: "run modelgate inside a healthy git checkout" });
}
async function currentBranch(root) {
  const r = await git(["symbolic-ref", "--quiet", "--short", "HEAD"], { cwd: root, allowFail: true });
  if (r.code === 0) return r.stdout.trim();
  if (r.code === 1) {
    throw new InputError("HEAD is detached: check out the branch to commit to", {
      hint: "git switch <branch> (in GitHub Actions, check out with ref: ${{ github.ref_name }})"
    });
  }
  throw new EnvironmentError(`git symbolic-ref HEAD failed in ${root}: ${r.stderr.trim()}`, { hint: "run modelgate inside a healthy git checkout" });
}
async function isAncestor(root, a, b) {
  const r = await git(["merge-base", "--is-ancestor", "--end-of-options", a, b], { cwd: root, allowFail: true });
  if (r.code === 0) return true;
  if (r.code === 1) return false;
  throw new EnvironmentError(`git merge-base --is-ancestor ${a} ${b} failed: ${r.stderr.trim()}`, {
    hint: "in a shallow clone, fetch more history (fetch-depth: 0)"
  });
}
async function commitTime(root, sha) {
  const r = await git(["show", "-s", "--format=%ct", "--end-of-options", `${sha}^{commit}`], { cwd: root });
  return new Date(Number(r.stdout.trim()) * 1e3);
}
async function countAhead(root, a, b) {
  const r = await git(["rev-list", "--count", `${a}..${b}`], { cwd: root });
  return Number(r.stdout.trim());
}

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
  headSha,
  currentBranch,
  isAncestor,
  commitTime,
  countAhead,
  changedFiles
};
