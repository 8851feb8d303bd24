import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  genesisOf,
  runAuditHistory,
  runAuditVerify,
  verifyShard
} from "./chunk-T4BM7IMM.js";
import "./chunk-KBW3H3L2.js";
import "./chunk-B2FTM52H.js";
import "./chunk-QGTLN4YD.js";
import "./chunk-SWO3YYZR.js";
import "./chunk-V6WN2HJS.js";
import "./chunk-RTQ2UXCO.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";
export {
  genesisOf,
  runAuditHistory,
  runAuditVerify,
  verifyShard
};
