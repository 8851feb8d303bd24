import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  EnvironmentError
} from "./chunk-RTQ2UXCO.js";

// src/commands/evalBudget.ts
var DEFAULT_EVAL_BUDGET_MS = 5 * 60 * 1e3;
var EVAL_BUDGET_ENV = "MODELGATE_EVAL_TIMEOUT_MS";
var EVAL_BUDGET_CHECK = "evaluation.time";
function evalBudgetMs(env) {
  return budgetMs(env[EVAL_BUDGET_ENV], DEFAULT_EVAL_BUDGET_MS);
}
var MAX_TIMER_MS = 2 ** 31 - 1;
function budgetMs(raw, dflt) {
  return raw !== void 0 && /^[1-9][0-9]*$/.test(raw.trim()) ? Math.min(Number(raw), MAX_TIMER_MS) : dflt;
}
async function withinBudget(ms, work) {
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve(void 0), ms);
  });
  try {
    return await Promise.race([work.then((value) => ({ value })), late]);
  } finally {
    clearTimeout(timer);
    work.catch(() => void 0);
  }
}
function duration(ms) {
  return ms >= 6e4 && ms % 6e4 === 0 ? `${ms / 6e4} min` : ms >= 1e3 && ms % 1e3 === 0 ? `${ms / 1e3} s` : `${ms} ms`;
}
function outOfTime(t, ms) {
  return {
    ...t,
    decision: "deny",
    checks: [
      {
        id: EVAL_BUDGET_CHECK,
        status: "fail",
        level: "deny",
        message: `could not evaluate: judging ${t.model} v${t.version} took longer than ${duration(ms)}; nothing was allowed (${EVAL_BUDGET_ENV} sets the budget, in milliseconds)`
      }
    ]
  };
}
function outOfTimeFault(t, ms) {
  return new EnvironmentError(`judging ${t.model} v${t.version} took longer than ${duration(ms)}: nothing was recorded`, {
    hint: `re-run once S3 and the tracking server answer in time (${EVAL_BUDGET_ENV} sets the budget, in milliseconds)`
  });
}

export {
  evalBudgetMs,
  budgetMs,
  withinBudget,
  outOfTime,
  outOfTimeFault
};
