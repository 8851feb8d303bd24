import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  runRecord
} from "./chunk-NXTML3V3.js";
import "./chunk-IEWIDB4H.js";
import "./chunk-WEBTXUHT.js";
import "./chunk-GHLCHGW2.js";
import "./chunk-CTYQMPSQ.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-VA2BBETS.js";
import "./chunk-BYFIVH54.js";
import "./chunk-W5NUTDX3.js";
import "./chunk-EBMZTC6J.js";
import "./chunk-QAJKV25N.js";
import "./chunk-V6WN2HJS.js";
import "./chunk-RTQ2UXCO.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";
export {
  runRecord
};
