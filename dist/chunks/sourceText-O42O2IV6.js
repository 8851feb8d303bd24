import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  baseName,
  childPath,
  parentPath,
  readSourceText
} from "./chunk-PNMDNJGF.js";
import "./chunk-HYWAOBHT.js";
import "./chunk-RTQ2UXCO.js";
import "./chunk-CCN2QAD7.js";
export {
  baseName,
  childPath,
  parentPath,
  readSourceText
};
