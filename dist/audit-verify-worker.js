import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  verifyShard
} from "./chunks/chunk-7W6ERNLH.js";
import "./chunks/chunk-YVKSLFLI.js";
import "./chunks/chunk-EDDH573E.js";
import "./chunks/chunk-I3DWQJNB.js";
import "./chunks/chunk-VA634LOC.js";
import "./chunks/chunk-CSPISB7H.js";
import "./chunks/chunk-Q5SX3MZI.js";
import {
  InputError,
  ModelgateError
} from "./chunks/chunk-UI47FEJI.js";
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
