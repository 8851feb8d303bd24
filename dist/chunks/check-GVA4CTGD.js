import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  judge,
  outcome,
  runCheck
} from "./chunk-SH733WXG.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-25Q3VXXF.js";
import "./chunk-YX7TV5TM.js";
import {
  manifestPath
} from "./chunk-EBMZTC6J.js";
import "./chunk-QAJKV25N.js";
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
