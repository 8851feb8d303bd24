import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  runRecord
} from "./chunk-EDWZ5HAI.js";
import "./chunk-REGT4CV6.js";
import "./chunk-CZ5YMCA2.js";
import "./chunk-INTN64OD.js";
import "./chunk-SH733WXG.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-RC2GVQKZ.js";
import "./chunk-25Q3VXXF.js";
import "./chunk-YX7TV5TM.js";
import "./chunk-EBMZTC6J.js";
import "./chunk-QAJKV25N.js";
import "./chunk-V6WN2HJS.js";
import "./chunk-RTQ2UXCO.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";
export {
  runRecord
};
