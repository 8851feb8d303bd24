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

// src/commands/repoRoot.ts
import { lstat, readFile, realpath, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
async function repoRoot(dir, o = {}) {
  const st = await stat(dir).catch(() => void 0);
  if (!st?.isDirectory()) throw new InputError(`repository directory ${dir} does not exist`, { hint: "pass --repo DIR pointing at your registry repository" });
  const within = o.within ? await realpath(o.within).catch(() => resolve(o.within)) : void 0;
  const real = await realpath(dir);
  if (within && outside(within, real)) {
    throw new InputError(`repo-path ${dir} is outside the workspace ${within}`, { hint: "set repo-path to the registry checkout inside GITHUB_WORKSPACE" });
  }
  const r = await git(["rev-parse", "--show-toplevel", "--absolute-git-dir"], { cwd: real, allowFail: true, ceiling: within ? dirname(within) : "" });
  if (r.code !== 0) {
    if (/cannot use bare repository/.test(r.stderr)) {
      throw new InputError(`${dir} looks like a bare git repository, not a work tree: modelgate never uses one found by discovery (safe.bareRepository=explicit)`, {
        hint: "pass the top of your registry checkout (or a directory inside it) as --repo / repo-path; a directory with HEAD, objects/ and refs/ committed into the tree is not a repository to use"
      });
    }
    throw new InputError(`${dir} is not inside a git work tree${within ? ` within the workspace ${within}` : ""}`, {
      hint: "run modelgate in a git checkout of your registry (git init, or pass --repo)"
    });
  }
  const [top, gitDir] = r.stdout.split("\n").map((l) => l.trim());
  if (!top || !gitDir) throw new InputError(`${dir} is not inside a git work tree`, { hint: "run modelgate in a git checkout of your registry" });
  const own = await ownGitDir(top);
  if (!own || own !== await realpath(gitDir).catch(() => gitDir)) {
    throw new InputError(`the git directory ${gitDir} that git found for ${dir} is not the work tree's own (${join(top, ".git")})`, {
      hint: "pass the top of a normal checkout (or a directory inside it); modelgate does not use a git directory configured elsewhere (core.worktree, GIT_DIR)"
    });
  }
  return top;
}
function outside(parent, child) {
  const rel = relative(parent, child);
  return rel === ".." || rel.startsWith(`..${"/"}`) || isAbsolute(rel);
}
async function ownGitDir(top) {
  const dotGit = join(top, ".git");
  const st = await lstat(dotGit).catch(() => void 0);
  if (st?.isDirectory()) return realpath(dotGit);
  if (!st?.isFile()) return void 0;
  const m = /^gitdir: (.+)$/m.exec(await readFile(dotGit, "utf8").catch(() => ""));
  if (!m) return void 0;
  const target = resolve(top, m[1].trim());
  return realpath(target).catch(() => void 0);
}

export {
  headSha,
  currentBranch,
  isAncestor,
  commitTime,
  countAhead,
  firstParentChanges,
  repoRoot
};
