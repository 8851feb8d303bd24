import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  info,
  summary,
  warning
} from "./chunk-4UTOWC7N.js";
import {
  headSha,
  isAncestor
} from "./chunk-B3B7KCWZ.js";
import {
  git,
  scrubUrl
} from "./chunk-SO4SZRZT.js";
import {
  EnvironmentError,
  InputError
} from "./chunk-RTQ2UXCO.js";

// src/action/checkout.ts
import { rm } from "node:fs/promises";
import { join } from "node:path";
var SHA = /^[0-9a-f]{40}$/;
async function isShallow(root) {
  const r = await git(["rev-parse", "--is-shallow-repository"], { cwd: root });
  return r.stdout.trim() === "true";
}
async function hasCommit(root, sha) {
  const r = await git(["cat-file", "-e", `${sha}^{commit}`], { cwd: root, allowFail: true });
  return r.code === 0;
}
async function fetchFromOrigin(root, args) {
  const r = await git(["-c", "protocol.version=2", "fetch", "--quiet", "--no-tags", "--no-recurse-submodules", ...args], { cwd: root, allowFail: true });
  const said = scrubUrl(r.stderr.trim()).split("\n").filter(Boolean).pop() ?? `exit ${r.code}`;
  return { ok: r.code === 0, said };
}
async function ensureHistory(root, need = [], opts = {}) {
  for (const sha of need) {
    if (!SHA.test(sha)) throw new InputError(`'${sha}' in the event payload is not a commit sha`);
  }
  if (await isShallow(root)) {
    info("modelgate: the checkout is shallow; fetching its history from origin (actions/checkout with fetch-depth: 0 skips this)");
    const done = await fetchFromOrigin(root, ["--unshallow", "origin", await headSha(root)]);
    if (!done.ok) {
      const what = `could not fetch the history of the checkout (git said: ${done.said})`;
      if (opts.historyRequired) throw new EnvironmentError(what, { hint: "use actions/checkout with fetch-depth: 0" });
      warning(`modelgate: ${what}; use actions/checkout with fetch-depth: 0`);
    }
  }
  for (const sha of need) {
    if (await hasCommit(root, sha)) continue;
    const depth = await isShallow(root) ? ["--depth=1"] : [];
    const got = await fetchFromOrigin(root, [...depth, "origin", sha]);
    if (!got.ok || !await hasCommit(root, sha)) {
      throw new EnvironmentError(`commit ${sha.slice(0, 12)} is not in the checkout and could not be fetched from origin (git said: ${got.said})`, {
        hint: "check out with actions/checkout (its credentials let modelgate fetch), or set fetch-depth: 0"
      });
    }
  }
}
async function catchUpWithOrigin(root, branch) {
  const got = await fetchFromOrigin(root, ["origin", `refs/heads/${branch}`]);
  if (!got.ok) throw new EnvironmentError(`git fetch origin ${branch} failed: ${got.said}`, { hint: "check the checkout\u2019s credentials and the remote (git remote -v)" });
  const tip = (await git(["rev-parse", "--verify", "FETCH_HEAD^{commit}"], { cwd: root })).stdout.trim();
  const head = await headSha(root);
  if (head === tip) return tip;
  if (!await isAncestor(root, head, tip)) {
    throw new EnvironmentError(`the checkout of ${branch} has commits that origin/${branch} lacks; modelgate will not drop them`, {
      hint: "push them first, or run modelgate in a fresh checkout of the branch"
    });
  }
  await moveTo(root, tip);
  return tip;
}
async function moveTo(root, sha) {
  const r = await git(["reset", "--quiet", "--keep", sha], { cwd: root, allowFail: true });
  if (r.code !== 0) {
    throw new EnvironmentError(`cannot move the checkout to ${sha.slice(0, 12)}: ${scrubUrl(r.stderr.trim())}`, {
      hint: "uncommitted changes in the checkout touch the same files; run modelgate in a clean checkout"
    });
  }
}
async function discardWrites(root, files) {
  for (const f of files) {
    const tracked = await git(["cat-file", "-e", `HEAD:${f}`], { cwd: root, allowFail: true });
    if (tracked.code === 0) await git(["--literal-pathspecs", "checkout", "HEAD", "--", f], { cwd: root });
    else await rm(join(root, f), { force: true });
  }
}

// src/action/summary.ts
async function writeSummary(markdown) {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await summary.addRaw(markdown.endsWith("\n") ? markdown : `${markdown}
`).write();
}

export {
  hasCommit,
  ensureHistory,
  catchUpWithOrigin,
  discardWrites,
  writeSummary
};
