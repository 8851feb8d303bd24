import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  prNumberOf,
  runRecord
} from "./chunk-NEYBTUSS.js";
import "./chunk-BE2HPKJB.js";
import "./chunk-K72UEJMW.js";
import "./chunk-QV4B6NDH.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-NQMZ2ADK.js";
import "./chunk-QNPTY5UK.js";
import "./chunk-JQCEUXN2.js";
import "./chunk-CAKB3CQG.js";
import "./chunk-KJACACCP.js";
import "./chunk-MMSIT7ZC.js";
import "./chunk-UI47FEJI.js";
import "./chunk-AFO6D57S.js";
import "./chunk-CCN2QAD7.js";
export {
  prNumberOf,
  runRecord
};
