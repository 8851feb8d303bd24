import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  archive,
  parseTarget,
  promote,
  register,
  rollback
} from "./chunk-HJTJSTJZ.js";
import "./chunk-K6WONXME.js";
import "./chunk-UKYKC4IV.js";
import "./chunk-WVVWNQVT.js";
import "./chunk-YXR2C3JX.js";
import "./chunk-LJ35MXN4.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-P2RKMSMP.js";
import "./chunk-BMZFCIUZ.js";
import "./chunk-SW6EK5NO.js";
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
