import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  git
} from "./chunk-YPLVDMPN.js";
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
async function countAhead(root, a, b) {
  const r = await git(["rev-list", "--count", `${a}..${b}`], { cwd: root });
  return Number(r.stdout.trim());
}
async function firstParentChanges(root, dirs) {
  const r = await git(["log", "--first-parent", "--reverse", "--name-only", "--no-renames", "-z", "--format=%x01%H", "HEAD", "--", ...dirs], { cwd: root, allowFail: true });
  if (r.code !== 0) return [];
  const out = [];
  for (const block of r.stdout.split("").filter(Boolean)) {
    const [head = "", ...rest] = block.split("\0");
    const [sha = "", first = ""] = head.split("\n");
    out.push({ sha, files: new Set([first, ...rest].map((f) => f.replace(/^\n/, "")).filter(Boolean)) });
  }
  return out;
}

export {
  headSha,
  currentBranch,
  isAncestor,
  countAhead,
  firstParentChanges
};
