import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  judge,
  outcome,
  runCheck
} from "./chunk-SMFLZGJ6.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-ENUCYI2O.js";
import "./chunk-4OSSLC2Y.js";
import "./chunk-ID7D4VF3.js";
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
