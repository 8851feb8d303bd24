import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  git
} from "./chunk-SO4SZRZT.js";
import {
  InputError
} from "./chunk-RTQ2UXCO.js";

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
  repoRoot
};
