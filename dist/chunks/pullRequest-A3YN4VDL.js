import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  annotate,
  onPullRequest,
  publishCheck,
  pullRequestOf
} from "./chunk-YGZ5PKST.js";
import "./chunk-U72F6ZGV.js";
import "./chunk-INTN64OD.js";
import "./chunk-SH733WXG.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-PUXMWNME.js";
import "./chunk-25Q3VXXF.js";
import "./chunk-YX7TV5TM.js";
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
