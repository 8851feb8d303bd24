import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  archive,
  parseTarget,
  promote,
  register,
  rollback
} from "./chunk-6QXEZ6NE.js";
import "./chunk-SJ2Z7QRL.js";
import "./chunk-BBTD4EPZ.js";
import "./chunk-HCY2ODEW.js";
import "./chunk-VEV7GLFQ.js";
import "./chunk-KJYE4KVK.js";
import "./chunk-WH5TWHOG.js";
import "./chunk-MFRRL4OI.js";
import "./chunk-W7Z66SK3.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-2UQMGH7H.js";
import "./chunk-BSSGNPR6.js";
import "./chunk-OXAEU5UG.js";
import "./chunk-VR3S7AYC.js";
import "./chunk-ECHALH7R.js";
import "./chunk-5ZHK5UEQ.js";
import "./chunk-WVHT4QIA.js";
import "./chunk-SO4SZRZT.js";
import "./chunk-UVN7TA7M.js";
import "./chunk-AKFKUSU4.js";
import "./chunk-E2G34L76.js";
import "./chunk-D7WOBC7Y.js";
import "./chunk-PNMDNJGF.js";
import "./chunk-27FDAS2B.js";
import "./chunk-HYWAOBHT.js";
import "./chunk-JOPA73JY.js";
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
