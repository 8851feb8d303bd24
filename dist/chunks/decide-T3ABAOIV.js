import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  archive,
  parseTarget,
  promote,
  register,
  rollback
} from "./chunk-ZZ7LL3HF.js";
import "./chunk-KF3BI6HS.js";
import "./chunk-LZ62YT7Y.js";
import "./chunk-SMFLZGJ6.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-ENUCYI2O.js";
import "./chunk-U3UBYM3E.js";
import "./chunk-GM7BDCT3.js";
import "./chunk-4OSSLC2Y.js";
import "./chunk-ID7D4VF3.js";
import "./chunk-VA634LOC.js";
import "./chunk-CSPISB7H.js";
import "./chunk-Q5SX3MZI.js";
import "./chunk-UI47FEJI.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";
export {
  archive,
  parseTarget,
  promote,
  register,
  rollback
};
