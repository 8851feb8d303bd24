import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  genesisOf,
  runAuditHistory,
  runAuditVerify,
  verifyShard
} from "./chunk-BAX67HAH.js";
import "./chunk-QFGFPBDB.js";
import "./chunk-ZLX6PNSZ.js";
import "./chunk-NPKIB7R7.js";
import "./chunk-QBN4O7TG.js";
import "./chunk-RTQ2UXCO.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";
export {
  genesisOf,
  runAuditHistory,
  runAuditVerify,
  verifyShard
};
