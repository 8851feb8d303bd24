import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  annotate,
  onPullRequest,
  publishCheck,
  pullRequestOf
} from "./chunk-UHM7C7KJ.js";
import "./chunk-7KVUIYLH.js";
import "./chunk-BSMJ3NJP.js";
import "./chunk-LMNWXW5M.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-PUXMWNME.js";
import "./chunk-6L7ANSQK.js";
import "./chunk-W5NUTDX3.js";
import "./chunk-W6H7RVKS.js";
import "./chunk-QH7UOIUQ.js";
import "./chunk-EBMZTC6J.js";
import "./chunk-QAJKV25N.js";
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
