import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  judge,
  outcome,
  runCheck
} from "./chunk-T7VMKDKA.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-QX2OAQVX.js";
import "./chunk-XCJBKEHW.js";
import "./chunk-6OU6UP2Y.js";
import {
  manifestPath
} from "./chunk-5HSQWCDK.js";
import "./chunk-MMSIT7ZC.js";
import "./chunk-UI47FEJI.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";
export {
  judge,
  manifestPath,
  outcome,
  runCheck
};
