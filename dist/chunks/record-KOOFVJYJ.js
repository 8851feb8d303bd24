import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  prNumberOf,
  runRecord
} from "./chunk-RYGTTYCG.js";
import "./chunk-GXM4BPFF.js";
import "./chunk-5R7BSHBU.js";
import "./chunk-AG4SCLEW.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-EA6WXMDH.js";
import "./chunk-4IQ23IGA.js";
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
