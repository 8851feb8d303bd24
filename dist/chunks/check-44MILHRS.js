import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  COMMENT_LIMIT_CHARS,
  SUMMARY_LIMIT_BYTES,
  checkReportJson,
  delta,
  renderCheck,
  trimMarkdown,
  truncationNote
} from "./chunk-PUNZ2S6X.js";
import "./chunk-L346GJRJ.js";
import "./chunk-3IOKXNOL.js";
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
