import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  archive,
  parseTarget,
  promote,
  register,
  rollback
} from "./chunk-UHR2Y7VQ.js";
import "./chunk-TAF47NWA.js";
import "./chunk-A3PT56TZ.js";
import "./chunk-VZW2MN7U.js";
import "./chunk-BSMJ3NJP.js";
import "./chunk-LMNWXW5M.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-B2BTQEEM.js";
import "./chunk-6L7ANSQK.js";
import "./chunk-W5NUTDX3.js";
import "./chunk-EBMZTC6J.js";
import "./chunk-QAJKV25N.js";
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
