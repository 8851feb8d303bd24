import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  genesisOf,
  runAuditHistory,
  runAuditVerify,
  verifyShard
} from "./chunk-QNPTY5UK.js";
import "./chunk-JQCEUXN2.js";
import "./chunk-CAKB3CQG.js";
import "./chunk-KJACACCP.js";
import "./chunk-MMSIT7ZC.js";
import "./chunk-UI47FEJI.js";
import "./chunk-AFO6D57S.js";
import "./chunk-CCN2QAD7.js";
export {
  genesisOf,
  runAuditHistory,
  runAuditVerify,
  verifyShard
};
