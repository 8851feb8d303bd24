import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  genesisOf,
  runAuditHistory,
  runAuditVerify,
  verifyShard
} from "./chunk-MIIRFSP6.js";
import "./chunk-A3KS4NVM.js";
import "./chunk-3ETRFSRP.js";
import "./chunk-53V5A5DJ.js";
import "./chunk-2OXEJ2GZ.js";
import "./chunk-CSPISB7H.js";
import "./chunk-Q5SX3MZI.js";
import "./chunk-UI47FEJI.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";
export {
  genesisOf,
  runAuditHistory,
  runAuditVerify,
  verifyShard
};
