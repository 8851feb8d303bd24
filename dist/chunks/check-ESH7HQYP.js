import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  judge,
  outcome,
  runCheck
} from "./chunk-ODNNEWFH.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-EDDH573E.js";
import "./chunk-I3DWQJNB.js";
import {
  manifestPath
} from "./chunk-VA634LOC.js";
import "./chunk-CSPISB7H.js";
import "./chunk-Q5SX3MZI.js";
import "./chunk-UI47FEJI.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";
export {
  judge,
  manifestPath,
  outcome,
  runCheck
};
