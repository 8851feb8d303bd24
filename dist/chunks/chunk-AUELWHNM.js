import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  pushWithRetry
} from "./chunk-PWE5H2PI.js";
import {
  currentBranch,
  repoRoot
} from "./chunk-B3B7KCWZ.js";

// src/commands/pushed.ts
import { resolve } from "node:path";
async function runPushed(p) {
  const root = await repoRoot(resolve(p.repo));
  const branch = await currentBranch(root);
  let last;
  await pushWithRetry(root, {
    branch,
    apply: async () => {
      last = await p.once();
      return { committed: p.committed(last) };
    },
    onRetry: ({ attempt, attempts, delayMs }) => p.onProgress?.(`push rejected: ${branch} moved; ${p.redoing} again on the new tip in ${(delayMs / 1e3).toFixed(1)} s (attempt ${attempt + 1} of ${attempts})`)
  });
  return last;
}

export {
  runPushed
};
