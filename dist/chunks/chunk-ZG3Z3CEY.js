import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  budgetMs
} from "./chunk-OXAEU5UG.js";

// src/cli/signals.ts
var SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];
function exitOnSignals(write) {
  for (const signal of SIGNALS) {
    process.once(signal, () => {
      write(`error: stopped by ${signal}: nothing was allowed
  hint: a decision stopped half-way is undone or completed by the next command (modelgate audit verify names the state)`);
      process.exit(3);
    });
  }
}
var DEFAULT_BUDGET_MS = 30 * 60 * 1e3;
function exitAfterBudget(env, write, beforeExit) {
  const ms = budgetMs(env.MODELGATE_TIMEOUT_MS, DEFAULT_BUDGET_MS);
  const timer = setTimeout(() => {
    beforeExit?.();
    write(`error: modelgate did not finish within ${ms >= 6e4 ? `${Math.round(ms / 6e4)} min` : `${ms} ms`}: nothing was allowed
  hint: re-run it; MODELGATE_TIMEOUT_MS sets the budget (milliseconds)`);
    process.exit(3);
  }, ms);
  timer.unref();
}
function exitWhenDone() {
  setTimeout(() => process.exit(), 100).unref();
}

// src/cli/supervise.ts
import { spawn } from "node:child_process";
var CHILD = "MODELGATE_SUPERVISED";
var FATAL = /<--- Last few GCs --->|FATAL ERROR:|#\s*Fatal (?:javascript|error)|\n\s*1: 0x[0-9a-f]+ /;
function isSupervisedChild(env = process.env) {
  return env[CHILD] === "1";
}
function stopWithParent() {
  if (!process.channel) return;
  process.channel.unref();
  process.on("disconnect", () => process.exit(3));
}
function superviseSelf(onFailure) {
  const heap = process.env.MODELGATE_MAX_HEAP_MB;
  const heapFlag = heap !== void 0 && /^[1-9][0-9]*$/.test(heap) ? [`--max-old-space-size=${heap}`] : [];
  const child = spawn(process.execPath, [...process.execArgv, ...heapFlag, process.argv[1], ...process.argv.slice(2)], {
    // The IPC channel tells the child when this parent is gone (killed with SIGKILL, which
    // cannot be passed on): it then stops too, rather than run on unwatched.
    stdio: ["inherit", "inherit", "pipe", "ipc"],
    env: { ...process.env, [CHILD]: "1", ...process.stderr.isTTY ? { MODELGATE_STDERR_TTY: "1" } : {} }
  });
  let tail = "";
  let fatal = false;
  child.stderr?.on("data", (chunk) => {
    if (fatal) return;
    const text = chunk.toString("utf8");
    const seen = tail + text;
    const m = FATAL.exec(seen);
    if (m) {
      fatal = true;
      const cut = m.index - tail.length;
      const before = cut > 0 ? text.slice(0, cut) : "";
      if (before.trim() !== "") process.stderr.write(before);
      return;
    }
    process.stderr.write(chunk);
    tail = seen.slice(-200);
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }
  exitAfterBudget(process.env, onFailure, () => child.kill("SIGKILL"));
  child.on("error", (err) => {
    onFailure(`error: could not start modelgate: ${err.message}: nothing was allowed`);
    process.exit(3);
  });
  child.on("close", (code, signal) => {
    if (code !== null && code >= 0 && code <= 3 && !fatal) {
      process.exitCode = code;
      return;
    }
    const why = fatal || code === 134 || signal === "SIGABRT" ? "ran out of memory" : signal === "SIGKILL" ? "was killed (SIGKILL; out of memory?)" : `stopped unexpectedly (${signal ?? `exit ${code}`})`;
    onFailure(`error: modelgate ${why}: nothing was allowed
  hint: the run is bounded (README, "Bounded input"); MODELGATE_MAX_HEAP_MB raises or lowers the memory it may use`);
    process.exitCode = 3;
  });
}

export {
  exitOnSignals,
  exitAfterBudget,
  exitWhenDone,
  isSupervisedChild,
  stopWithParent,
  superviseSelf
};
