import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  countAhead,
  headSha,
  isAncestor
} from "./chunk-W7Z66SK3.js";
import {
  git,
  scrubUrl
} from "./chunk-SO4SZRZT.js";
import {
  EnvironmentError,
  InputError
} from "./chunk-RTQ2UXCO.js";

// src/git/push.ts
async function fetchTip(root, remote, branch) {
  const r = await git(["fetch", "--quiet", "--no-tags", "--", remote, `refs/heads/${branch}`], { cwd: root, allowFail: true });
  if (r.code !== 0) {
    if (/couldn't find remote ref/i.test(r.stderr)) return void 0;
    throw remoteFailure(`git fetch from ${remote} failed`, r);
  }
  const sha = await git(["rev-parse", "--verify", "FETCH_HEAD^{commit}"], { cwd: root });
  return sha.stdout.trim();
}
async function catchUp(root, target, tip) {
  const head = await headSha(root);
  if (head === tip) return;
  if (await isAncestor(root, head, tip)) return resetKeep(root, tip, target);
  const n = await countAhead(root, tip, head);
  throw new InputError(`your branch has ${n} commit${n === 1 ? "" : "s"} not on ${target}; push or drop them first`, {
    hint: `modelgate commits on top of ${target} and never drops your work: git push, or git reset --keep ${target}`
  });
}
async function resetKeep(root, to, target) {
  const r = await git(["reset", "--quiet", "--keep", to], { cwd: root, allowFail: true });
  if (r.code !== 0) {
    throw new InputError(`cannot move to the tip of ${target}: ${scrubUrl(r.stderr.trim())}`, {
      hint: "your uncommitted changes touch files that changed there: commit or stash them, then re-run"
    });
  }
}
async function pushHead(root, remote, branch) {
  const push = await git(["push", "--porcelain", "--", remote, `HEAD:refs/heads/${branch}`], { cwd: root, allowFail: true, hooks: true });
  if (push.code === 0) return "pushed";
  if (remoteMoved(push)) return "moved";
  throw pushFailed(push, `${remote}/${branch}`, await headSha(root));
}
function remoteMoved(r) {
  const text = `${r.stdout}
${r.stderr}`;
  return /(^|\s)\[rejected\]|non-fast-forward|fetch first|stale info|cannot lock ref|incorrect old value/im.test(text);
}
function pushFailed(r, target, ours) {
  const err = remoteFailure(`git push to ${target} failed`, r);
  return new EnvironmentError(err.message, {
    hint: `${err.hint}; your commit ${ours.slice(0, 12)} is kept locally: push it once this is fixed, or drop it with git reset --keep HEAD~1`
  });
}
function remoteFailure(what, r) {
  const said = scrubUrl(`${r.stderr}
${r.stdout}`).split("\n").map((l) => l.trim()).filter((l) => l && l !== "Done" && !/^To /.test(l)).join("; ");
  return new EnvironmentError(`${what}: ${said || `exit ${r.code}`}`, { hint: hintFor(said) });
}
function hintFor(said) {
  if (/authentication failed|could not read (username|password)|terminal prompts disabled|\b40[13]\b|permission to .* denied|permission denied|write access/i.test(said)) {
    return "the credentials were refused: in GitHub Actions the token needs contents: write (permissions: contents: write); locally, check your git credentials";
  }
  if (/\[remote rejected\]|protected branch|hook declined/i.test(said)) {
    return "the remote refused the push (a protected branch or a server-side hook): allow this actor to push, or push to another branch";
  }
  if (/could not resolve host|connection refused|timed out|unable to access|could not read from remote/i.test(said)) {
    return "the remote could not be reached: check the network and the remote URL (git remote -v)";
  }
  return "check the remote (git remote -v) and your access to it";
}

export {
  fetchTip,
  catchUp,
  resetKeep,
  pushHead
};
