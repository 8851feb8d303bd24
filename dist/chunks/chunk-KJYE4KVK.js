import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  headSha
} from "./chunk-W7Z66SK3.js";
import {
  DISK_FULL,
  git,
  scrubUrl
} from "./chunk-SO4SZRZT.js";
import {
  normalizeRepoPath
} from "./chunk-JOPA73JY.js";
import {
  EnvironmentError,
  InputError
} from "./chunk-RTQ2UXCO.js";

// src/git/commit.ts
import { rm } from "node:fs/promises";
import { join } from "node:path";
var ACTIONS_BOT = { name: "github-actions[bot]", email: "41898282+github-actions[bot]@users.noreply.github.com" };
var LOCAL_FALLBACK = { name: "modelgate", email: "modelgate@localhost" };
async function commitFiles(root, c) {
  if (c.files.length === 0) throw new InputError("nothing to commit: no files were named");
  const files = c.files.map((f) => normalizeRepoPath(f, "file to commit"));
  await git(["--literal-pathspecs", "add", "--all", "--", ...files], { cwd: root });
  if (!await hasStagedChange(root, files)) {
    throw new InputError(`nothing to commit: ${files.join(", ")} ${files.length === 1 ? "is" : "are"} unchanged`);
  }
  const identity = await identityArgs(root, process.env);
  const r = await git(
    // `--only` + paths: commit these paths' contents, leave the rest of the index alone.
    // `--cleanup=whitespace`: keep lines starting with '#' (a reason may start with an issue number).
    [...identity, "--literal-pathspecs", "commit", "--quiet", "--cleanup=whitespace", "-F", "-", "--only", "--", ...files],
    // The user's own commit hooks run (a refusing pre-commit hook stops the decision).
    { cwd: root, input: c.message, allowFail: true, hooks: true }
  );
  if (r.code !== 0) {
    const said = scrubUrl(`${r.stderr}
${r.stdout}`.trim());
    const full = DISK_FULL.test(said);
    const lost = !full && /empty commit message/i.test(said);
    throw new EnvironmentError(`${full ? "the disk is full: " : lost ? "the disk may be full: " : ""}git commit failed: ${said || `exit ${r.code}`}`, {
      hint: full || lost ? "free some disk space, then re-run" : "a commit hook or signing setting may have refused it"
    });
  }
  return headSha(root);
}
async function uncommittedPaths(root, files) {
  const paths = files.map((f) => normalizeRepoPath(f, "file to commit"));
  const r = await git(["--no-optional-locks", "--literal-pathspecs", "status", "--porcelain=v1", "-z", "--no-renames", "--untracked-files=all", "--", ...paths], { cwd: root });
  return r.stdout.split("\0").filter((e) => e.length > 3).map((e) => ({ path: e.slice(3), tracked: !e.startsWith("??") }));
}
async function hasStagedChange(root, files) {
  const head = await git(["rev-parse", "--verify", "--quiet", "HEAD"], { cwd: root, allowFail: true });
  if (head.code !== 0) return true;
  const diff = await git(["--literal-pathspecs", "diff", "--cached", "--quiet", "HEAD", "--", ...files], { cwd: root, allowFail: true });
  if (diff.code > 1) throw new EnvironmentError(`git diff failed: ${diff.stderr.trim()}`);
  return diff.code === 1;
}
async function identityArgs(root, env) {
  const email = await git(["config", "--get", "user.email"], { cwd: root, allowFail: true });
  if (email.code === 0 && email.stdout.trim() !== "") return [];
  if (env.EMAIL || env.GIT_AUTHOR_EMAIL && env.GIT_COMMITTER_EMAIL) return [];
  const who = env.GITHUB_ACTIONS === "true" ? ACTIONS_BOT : LOCAL_FALLBACK;
  return ["-c", `user.name=${who.name}`, "-c", `user.email=${who.email}`];
}
async function restoreFromHead(root, files) {
  for (const f of files.map((p) => normalizeRepoPath(p, "file to restore"))) {
    const tracked = await git(["cat-file", "-e", `HEAD:${f}`], { cwd: root, allowFail: true });
    if (tracked.code === 0) await git(["--literal-pathspecs", "checkout", "HEAD", "--", f], { cwd: root });
    else await rm(join(root, f), { force: true });
  }
}

// src/publish/change.ts
async function keepWritten(change) {
  for (const w of change.writes) await w.keep();
}
async function commitChange(root, change) {
  try {
    return await commitFiles(root, { files: change.files, message: change.message });
  } catch (err) {
    throw await takeBack(root, change.files, change.writes, err);
  } finally {
    await keepWritten(change);
  }
}
async function takeBack(root, staged, writes, cause) {
  const said = cause instanceof Error ? cause.message : String(cause);
  const failed = [];
  for (const w of [...writes].reverse()) await w.undo().catch((err) => failed.push(err.message));
  if (failed.length === 0 && staged.length) {
    const reset = await git(["--literal-pathspecs", "reset", "--quiet", "--", ...staged], { cwd: root, allowFail: true });
    if (reset.code !== 0) failed.push(`git reset: ${reset.stderr.trim()}`);
  }
  if (failed.length) {
    return new EnvironmentError(`${said}; and the change could not be taken back: ${failed.join("; ")}`, {
      hint: `restore the files by hand: ${staged.length ? `git reset -- ${staged.join(" ")} && ` : ""}git checkout HEAD -- <file> (delete a file git does not know yet)`,
      cause
    });
  }
  if (!(cause instanceof EnvironmentError) || cause.hint?.includes("nothing was changed")) return cause;
  return new EnvironmentError(said, { hint: `nothing was changed (the files are as they were); ${cause.hint ?? "fix the cause and re-run"}`, cause });
}

export {
  commitFiles,
  uncommittedPaths,
  restoreFromHead,
  keepWritten,
  commitChange,
  takeBack
};
