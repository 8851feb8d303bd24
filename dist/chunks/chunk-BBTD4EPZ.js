import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  catchUp,
  fetchTip,
  pushHead,
  resetKeep
} from "./chunk-VEV7GLFQ.js";
import {
  commitChange,
  keepWritten
} from "./chunk-KJYE4KVK.js";
import {
  currentBranch,
  headSha
} from "./chunk-W7Z66SK3.js";
import {
  repoRoot
} from "./chunk-5ZHK5UEQ.js";
import {
  crashPoint
} from "./chunk-UVN7TA7M.js";
import {
  EnvironmentError
} from "./chunk-RTQ2UXCO.js";

// src/commands/publish.ts
import { resolve } from "node:path";

// src/publish/git.ts
function gitPublisher(root, branch, remote = "origin") {
  const target = `${remote}/${branch}`;
  let rejected = false;
  return {
    branch,
    target,
    nothingDone: "nothing was pushed",
    refusal: "push rejected",
    async catchUp() {
      const tip = await fetchTip(root, remote, branch);
      if (tip !== void 0) return catchUp(root, target, tip);
      if (rejected) throw new EnvironmentError(`the push to ${target} was rejected, but ${target} no longer exists`, { hint: "check the remote branch, then re-run" });
    },
    async publish(change, judgedOn) {
      const sha = await commitChange(root, change);
      crashPoint("before-push");
      if (await pushHead(root, remote, branch) === "pushed") return sha;
      rejected = true;
      await resetKeep(root, judgedOn, target);
      crashPoint("push-rejected");
      return "moved";
    }
  };
}

// src/publish/publisher.ts
var DEFAULT_ATTEMPTS = 5;
var MIN_SLOT_MS = 250;
var MAX_DELAY_MS = 6e4;
async function publishWithRetry(root, publisher, attempt, o = {}) {
  const attempts = o.attempts ?? DEFAULT_ATTEMPTS;
  await publisher.catchUp();
  for (let n = 1; ; n++) {
    const judgedOn = await headSha(root);
    const started = Date.now();
    const { result, change } = await attempt();
    if (!change) return { result };
    const sha = await publisher.publish(change, judgedOn);
    if (sha !== "moved") return { result, commit: sha };
    if (n >= attempts) {
      await publisher.catchUp();
      throw new EnvironmentError(`gave up after ${attempts} attempts: ${publisher.branch} kept moving; re-run (use a concurrency group in CI)`, {
        hint: `${publisher.nothingDone}; the checkout is now at the tip of ${publisher.target}`
      });
    }
    const delayMs = backoffMs(n, Date.now() - started);
    o.onRetry?.({ attempt: n, attempts, delayMs });
    await sleep(delayMs);
    await publisher.catchUp();
  }
}
function backoffMs(attempt, lastAttemptMs, random = Math.random) {
  const raw = Number(process.env.MODELGATE_RETRY_BASE_MS);
  const slot = process.env.MODELGATE_RETRY_BASE_MS !== void 0 && Number.isFinite(raw) && raw >= 0 ? raw : Math.max(MIN_SLOT_MS, lastAttemptMs);
  return Math.min(MAX_DELAY_MS, random() * slot * (2 ** attempt - 1));
}
function sleep(ms) {
  return new Promise((resolve2) => setTimeout(resolve2, ms));
}

// src/commands/publish.ts
async function land(o, attempt) {
  const { result, commit } = await landed(o, attempt);
  return commit ? { ...result, commit } : result;
}
async function landed(o, attempt) {
  if (!o.push) {
    const { result, change } = await attempt();
    if (!change) return { result };
    if (!o.commit) {
      await keepWritten(change);
      return { result };
    }
    const root2 = await repoRoot(resolve(o.repo));
    return { result, commit: await commitChange(root2, change) };
  }
  const root = await repoRoot(resolve(o.repo));
  const branch = await currentBranch(root);
  const publisher = o.publisher ? await o.publisher(root, branch) : gitPublisher(root, branch);
  return publishWithRetry(root, publisher, attempt, {
    onRetry: ({ attempt: n, attempts, delayMs }) => o.onProgress?.(`${publisher.refusal}: ${branch} moved; ${o.redoing} again on the new tip in ${(delayMs / 1e3).toFixed(1)} s (attempt ${n + 1} of ${attempts})`)
  });
}

export {
  land
};
