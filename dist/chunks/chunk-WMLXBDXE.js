import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  headSha
} from "./chunk-W7Z66SK3.js";
import {
  info,
  summary,
  warning
} from "./chunk-4UTOWC7N.js";
import {
  git,
  scrubUrl
} from "./chunk-SO4SZRZT.js";
import {
  EnvironmentError,
  InputError
} from "./chunk-RTQ2UXCO.js";

// src/action/checkout.ts
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

// src/action/summary.ts
async function writeSummary(markdown) {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await summary.addRaw(markdown.endsWith("\n") ? markdown : `${markdown}
`).write();
}

export {
  hasCommit,
  ensureHistory,
  writeSummary
};
