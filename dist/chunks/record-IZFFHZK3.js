import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  runRecord
} from "./chunk-7KGVHKLJ.js";
import "./chunk-3RZEOV5Y.js";
import "./chunk-UMHKYI27.js";
import "./chunk-JNARSAUI.js";
import "./chunk-LZYKS4X4.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-7DFZHUMH.js";
import "./chunk-5KERMOLW.js";
import "./chunk-O6UVBCAC.js";
import "./chunk-EBMZTC6J.js";
import "./chunk-QAJKV25N.js";
import "./chunk-V6WN2HJS.js";
import "./chunk-RTQ2UXCO.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";
export {
  runRecord
};
