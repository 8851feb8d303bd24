import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  archive,
  parseTarget,
  promote,
  register,
  rollback
} from "./chunk-RL2BXSEP.js";
import "./chunk-K6WONXME.js";
import "./chunk-KAS5WWEP.js";
import "./chunk-OM7PIDK6.js";
import "./chunk-74MXW5PM.js";
import "./chunk-QKBMLBBQ.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-T4BM7IMM.js";
import "./chunk-KBW3H3L2.js";
import "./chunk-B2FTM52H.js";
import "./chunk-QGTLN4YD.js";
import "./chunk-SWO3YYZR.js";
import "./chunk-V6WN2HJS.js";
import "./chunk-RTQ2UXCO.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";
export {
  archive,
  parseTarget,
  promote,
  register,
  rollback
};
