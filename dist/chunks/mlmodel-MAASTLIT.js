import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  hasMlmodel,
  mlmodelSignature
} from "./chunk-E2G34L76.js";
import "./chunk-D7WOBC7Y.js";
import "./chunk-PNMDNJGF.js";
import "./chunk-HYWAOBHT.js";
import "./chunk-RTQ2UXCO.js";
import "./chunk-CCN2QAD7.js";
export {
  hasMlmodel,
  mlmodelSignature
};
