import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  genesisOf,
  runAuditHistory,
  runAuditVerify,
  verifyShard
} from "./chunk-U3UBYM3E.js";
import "./chunk-GM7BDCT3.js";
import "./chunk-4OSSLC2Y.js";
import "./chunk-ID7D4VF3.js";
import "./chunk-VA634LOC.js";
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
