import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  prNumberOf,
  runRecord
} from "./chunk-KFQFBWOJ.js";
import "./chunk-NEUSB5KM.js";
import "./chunk-RDJUHIKI.js";
import "./chunk-AG4SCLEW.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-EA6WXMDH.js";
import "./chunk-MIIRFSP6.js";
import "./chunk-A3KS4NVM.js";
import "./chunk-3ETRFSRP.js";
import "./chunk-53V5A5DJ.js";
import "./chunk-2OXEJ2GZ.js";
import "./chunk-CSPISB7H.js";
import "./chunk-Q5SX3MZI.js";
import "./chunk-UI47FEJI.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";
export {
  prNumberOf,
  runRecord
};
