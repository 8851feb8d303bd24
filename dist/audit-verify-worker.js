import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  verifyShard
} from "./chunks/chunk-BAX67HAH.js";
import "./chunks/chunk-QFGFPBDB.js";
import "./chunks/chunk-ZLX6PNSZ.js";
import "./chunks/chunk-NPKIB7R7.js";
import "./chunks/chunk-QBN4O7TG.js";
import {
  InputError,
  ModelgateError
} from "./chunks/chunk-RTQ2UXCO.js";
import "./chunks/chunk-LOQ7O4NU.js";
import "./chunks/chunk-CCN2QAD7.js";

// src/commands/auditVerifyWorker.ts
import { parentPort, workerData } from "node:worker_threads";
async function main() {
  try {
    return { ok: true, verdicts: await verifyShard(workerData) };
  } catch (err) {
    if (err instanceof ModelgateError) return { ok: false, exitCode: err instanceof InputError ? 2 : 3, message: err.message, ...err.hint ? { hint: err.hint } : {} };
    return { ok: false, exitCode: 3, message: `internal error in a verification thread: ${err?.message ?? String(err)}` };
  }
}
void main().then((answer) => parentPort.postMessage(answer));
