import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  connectionFromEnv
} from "./chunk-ILASVY3E.js";
import "./chunk-JOPA73JY.js";
import "./chunk-RTQ2UXCO.js";
import "./chunk-CCN2QAD7.js";
export {
  connectionFromEnv
};
