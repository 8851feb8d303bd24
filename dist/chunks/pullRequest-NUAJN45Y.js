import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  annotate,
  onPullRequest,
  publishCheck,
  pullRequestOf
} from "./chunk-WEO6TVKK.js";
import "./chunk-3A4YVAMQ.js";
import "./chunk-2MDOVKUL.js";
import "./chunk-YLHOGSJ6.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-PUXMWNME.js";
import "./chunk-QFGFPBDB.js";
import "./chunk-ZLX6PNSZ.js";
import "./chunk-W6H7RVKS.js";
import "./chunk-QH7UOIUQ.js";
import "./chunk-NPKIB7R7.js";
import "./chunk-QBN4O7TG.js";
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
