import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  prNumberOf,
  runRecord
} from "./chunk-BF7VB5HF.js";
import "./chunk-ESMNMIMG.js";
import "./chunk-6TY37VIF.js";
import "./chunk-23HUICI5.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-D7DBGA2H.js";
import "./chunk-QAUDWEFY.js";
import "./chunk-M2X6Z7RT.js";
import "./chunk-ZWBHLZCC.js";
import "./chunk-IDTNSLQG.js";
import "./chunk-VA634LOC.js";
import "./chunk-CSPISB7H.js";
import "./chunk-Q5SX3MZI.js";
import "./chunk-UI47FEJI.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";
export {
  prNumberOf,
  runRecord
};
