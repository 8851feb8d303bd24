import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  isServerRef,
  mlmodelSignature,
  parseServerRef,
  takeSnapshot
} from "./chunk-WH5TWHOG.js";
import "./chunk-2UQMGH7H.js";
import "./chunk-D7WOBC7Y.js";
import "./chunk-HYWAOBHT.js";
import "./chunk-JOPA73JY.js";
import "./chunk-RTQ2UXCO.js";
import "./chunk-CCN2QAD7.js";
export {
  isServerRef,
  mlmodelSignature,
  parseServerRef,
  takeSnapshot
};
