import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  archive,
  parseTarget,
  promote,
  register,
  rollback
} from "./chunk-X54I4OEH.js";
import "./chunk-K6WONXME.js";
import "./chunk-HW22M4S5.js";
import "./chunk-OA6HWGVJ.js";
import "./chunk-AODZEIMI.js";
import "./chunk-YCCKNXN2.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-DS3MTTSS.js";
import "./chunk-IC3PJYIK.js";
import "./chunk-GEVIKJZM.js";
import "./chunk-YPLVDMPN.js";
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
