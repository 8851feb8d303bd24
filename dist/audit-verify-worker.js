import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  verifyShard
} from "./chunks/chunk-VR3S7AYC.js";
import "./chunks/chunk-ECHALH7R.js";
import "./chunks/chunk-5ZHK5UEQ.js";
import "./chunks/chunk-WVHT4QIA.js";
import "./chunks/chunk-SO4SZRZT.js";
import "./chunks/chunk-UVN7TA7M.js";
import "./chunks/chunk-AKFKUSU4.js";
import "./chunks/chunk-E2G34L76.js";
import "./chunks/chunk-D7WOBC7Y.js";
import "./chunks/chunk-PNMDNJGF.js";
import "./chunks/chunk-27FDAS2B.js";
import "./chunks/chunk-HYWAOBHT.js";
import "./chunks/chunk-JOPA73JY.js";
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
