import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  ModelgateError
} from "./chunk-RTQ2UXCO.js";

// src/commands/outcome.ts
function exitCodeOf(o) {
  if (o.faults && o.faults.length > 0) {
    const first = o.faults[0];
    return first instanceof ModelgateError ? first.exitCode : 3;
  }
  if (o.invalid) return 2;
  return o.decision === "deny" ? 1 : 0;
}
function failed(err) {
  return { faults: [err] };
}

export {
  exitCodeOf,
  failed
};
