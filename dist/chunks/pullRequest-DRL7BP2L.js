import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  annotate,
  onPullRequest,
  publishCheck,
  pullRequestOf
} from "./chunk-RPHQU3LK.js";
import "./chunk-4A57MFCI.js";
import "./chunk-YXR2C3JX.js";
import "./chunk-LJ35MXN4.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-PUXMWNME.js";
import "./chunk-BMZFCIUZ.js";
import "./chunk-SW6EK5NO.js";
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
