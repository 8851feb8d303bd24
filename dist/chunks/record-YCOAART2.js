import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  runRecord
} from "./chunk-CLSBCGPP.js";
import "./chunk-EPW4JQZP.js";
import "./chunk-CWCJNBVM.js";
import "./chunk-2MDOVKUL.js";
import "./chunk-YLHOGSJ6.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-BAX67HAH.js";
import "./chunk-QFGFPBDB.js";
import "./chunk-ZLX6PNSZ.js";
import "./chunk-NPKIB7R7.js";
import "./chunk-QBN4O7TG.js";
import "./chunk-RTQ2UXCO.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";
export {
  runRecord
};
