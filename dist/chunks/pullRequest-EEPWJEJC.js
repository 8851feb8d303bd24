import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  annotate,
  onPullRequest,
  publishCheck,
  pullRequestOf
} from "./chunk-SLPAD4UZ.js";
import "./chunk-67SG3EHX.js";
import "./chunk-74MXW5PM.js";
import "./chunk-QKBMLBBQ.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-PUXMWNME.js";
import "./chunk-KBW3H3L2.js";
import "./chunk-B2FTM52H.js";
import "./chunk-W6H7RVKS.js";
import "./chunk-QH7UOIUQ.js";
import "./chunk-QGTLN4YD.js";
import "./chunk-SWO3YYZR.js";
import "./chunk-V6WN2HJS.js";
import "./chunk-RTQ2UXCO.js";
import "./chunk-PYSCYDZ7.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";
export {
  annotate,
  onPullRequest,
  publishCheck,
  pullRequestOf
};
