import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  countAhead,
  headSha,
  isAncestor
} from "./chunk-B3B7KCWZ.js";
import {
  git,
  scrubUrl
} from "./chunk-SO4SZRZT.js";
import {
  crashPoint
} from "./chunk-2QVUTHZK.js";
import {
  EnvironmentError,
  InputError
} from "./chunk-RTQ2UXCO.js";

// src/git/push.ts
var DEFAULT_ATTEMPTS = 5;
var MIN_SLOT_MS = 250;
var MAX_DELAY_MS = 6e4;
async function pushWithRetry(root, o) {
  const remote = o.remote ?? "origin";
  const attempts = o.attempts ?? DEFAULT_ATTEMPTS;
  const target = `${remote}/${o.branch}`;
  const tip = await fetchTip(root, remote, o.branch);
  if (tip !== void 0) await catchUp(root, target, await headSha(root), tip);
  for (let attempt = 1; ; attempt++) {
    const before = await headSha(root);
    const started = Date.now();
    const { committed } = await o.apply();
    if (!committed) return;
    crashPoint("before-push");
    const push = await git(["push", "--porcelain", "--", remote, `HEAD:refs/heads/${o.branch}`], { cwd: root, allowFail: true, hooks: true });
    if (push.code === 0) return;
    if (!remoteMoved(push)) throw pushFailed(push, target, await headSha(root));
    await resetKeep(root, before, target);
    crashPoint("push-rejected");
    if (attempt >= attempts) {
      const next2 = await fetchTip(root, remote, o.branch);
      if (next2 !== void 0) await catchUp(root, target, before, next2);
      throw new EnvironmentError(`gave up after ${attempts} attempts: ${o.branch} kept moving; re-run (use a concurrency group in CI)`, {
        hint: `nothing was pushed; the checkout is now at the tip of ${target}`
      });
    }
    const delayMs = backoffMs(attempt, Date.now() - started);
    o.onRetry?.({ attempt, attempts, delayMs });
    await sleep(delayMs);
    const next = await fetchTip(root, remote, o.branch);
    if (next === void 0) {
      throw new EnvironmentError(`the push to ${target} was rejected, but ${target} no longer exists`, { hint: "check the remote branch, then re-run" });
    }
    await catchUp(root, target, before, next);
  }
}
async function fetchTip(root, remote, branch) {
  const r = await git(["fetch", "--quiet", "--no-tags", "--", remote, `refs/heads/${branch}`], { cwd: root, allowFail: true });
  if (r.code !== 0) {
    if (/couldn't find remote ref/i.test(r.stderr)) return void 0;
    throw remoteFailure(`git fetch from ${remote} failed`, r);
  }
  const sha = await git(["rev-parse", "--verify", "FETCH_HEAD^{commit}"], { cwd: root });
  return sha.stdout.trim();
}
async function catchUp(root, target, head, tip) {
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
function backoffMs(attempt, lastAttemptMs, random = Math.random) {
  const raw = Number(process.env.MODELGATE_RETRY_BASE_MS);
  const slot = process.env.MODELGATE_RETRY_BASE_MS !== void 0 && Number.isFinite(raw) && raw >= 0 ? raw : Math.max(MIN_SLOT_MS, lastAttemptMs);
  return Math.min(MAX_DELAY_MS, random() * slot * (2 ** attempt - 1));
}
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export {
  pushWithRetry,
  backoffMs
};
