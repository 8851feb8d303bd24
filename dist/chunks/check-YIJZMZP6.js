import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  judge,
  outcome,
  runCheck
} from "./chunk-QV4B6NDH.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-NQMZ2ADK.js";
import "./chunk-JQCEUXN2.js";
import "./chunk-CAKB3CQG.js";
import {
  manifestPath
} from "./chunk-KJACACCP.js";
import "./chunk-MMSIT7ZC.js";
import "./chunk-UI47FEJI.js";
import "./chunk-AFO6D57S.js";
import "./chunk-CCN2QAD7.js";
export {
  judge,
  manifestPath,
  outcome,
  runCheck
};
