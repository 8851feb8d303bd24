import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  prNumberOf,
  runRecord
} from "./chunk-5ZC4OZ6X.js";
import "./chunk-4ZPJXNGA.js";
import "./chunk-2F5D2ASZ.js";
import "./chunk-T7VMKDKA.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-QX2OAQVX.js";
import "./chunk-UABOHUHD.js";
import "./chunk-XCJBKEHW.js";
import "./chunk-6OU6UP2Y.js";
import "./chunk-5HSQWCDK.js";
import "./chunk-MMSIT7ZC.js";
import "./chunk-UI47FEJI.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";
export {
  prNumberOf,
  runRecord
};
