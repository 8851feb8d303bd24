import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  prNumberOf,
  runRecord
} from "./chunk-Z5ZVDDIT.js";
import "./chunk-QHKG3R46.js";
import "./chunk-NZPMNBFL.js";
import "./chunk-QRFIWEZO.js";
import "./chunk-ODNNEWFH.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-7W6ERNLH.js";
import "./chunk-YVKSLFLI.js";
import "./chunk-EDDH573E.js";
import "./chunk-I3DWQJNB.js";
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
