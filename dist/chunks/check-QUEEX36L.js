import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  COMMENT_LIMIT_CHARS,
  SUMMARY_LIMIT_BYTES,
  checkReportJson,
  delta,
  renderCheck,
  trimMarkdown,
  truncationNote
} from "./chunk-YCT3Q6AA.js";
import "./chunk-JVJNO3D2.js";
import "./chunk-PYSCYDZ7.js";
import "./chunk-CCN2QAD7.js";
export {
  COMMENT_LIMIT_CHARS,
  SUMMARY_LIMIT_BYTES,
  checkReportJson,
  delta,
  renderCheck,
  trimMarkdown,
  truncationNote
};
