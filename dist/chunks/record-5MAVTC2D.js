import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  runRecord
} from "./chunk-KDSWPS4W.js";
import "./chunk-O4MOWDB5.js";
import "./chunk-F2IEGPOE.js";
import "./chunk-FNUU6GLE.js";
import "./chunk-YRGM7VY2.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-LQ72QYWO.js";
import "./chunk-DHNOGBPO.js";
import "./chunk-EHK2JZLV.js";
import "./chunk-PFSJN6VZ.js";
import "./chunk-E2G34L76.js";
import "./chunk-D7WOBC7Y.js";
import "./chunk-PNMDNJGF.js";
import "./chunk-3UWGGRDM.js";
import "./chunk-HYWAOBHT.js";
import "./chunk-JOPA73JY.js";
import "./chunk-RTQ2UXCO.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";
export {
  runRecord
};
