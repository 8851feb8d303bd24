import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  archive,
  parseTarget,
  promote,
  register,
  rollback
} from "./chunk-7MNDZ7MK.js";
import "./chunk-JBB2R5EU.js";
import "./chunk-WM366EF2.js";
import "./chunk-CELR6VI7.js";
import "./chunk-JRMUGC4B.js";
import "./chunk-NGIJALJG.js";
import "./chunk-ENWDNFQH.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-WE2Q4XBO.js";
import "./chunk-Y7WZGVHD.js";
import "./chunk-S36TAI46.js";
import "./chunk-72JV3TRO.js";
import "./chunk-PFSJN6VZ.js";
import "./chunk-E2G34L76.js";
import "./chunk-D7WOBC7Y.js";
import "./chunk-PNMDNJGF.js";
import "./chunk-3UWGGRDM.js";
import "./chunk-HYWAOBHT.js";
import "./chunk-JOPA73JY.js";
import "./chunk-RTQ2UXCO.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";
export {
  archive,
  parseTarget,
  promote,
  register,
  rollback
};
