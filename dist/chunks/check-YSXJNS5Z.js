import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  judge,
  outcome,
  runCheck
} from "./chunk-QKBMLBBQ.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-KBW3H3L2.js";
import "./chunk-B2FTM52H.js";
import {
  manifestPath
} from "./chunk-QGTLN4YD.js";
import "./chunk-SWO3YYZR.js";
import "./chunk-V6WN2HJS.js";
import "./chunk-RTQ2UXCO.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";
export {
  judge,
  manifestPath,
  outcome,
  runCheck
};
