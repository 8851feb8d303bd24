import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  escapeMarkdown,
  escapeMermaid,
  mdDetails,
  mdTable
} from "./chunk-L346GJRJ.js";
import "./chunk-3IOKXNOL.js";
import "./chunk-CCN2QAD7.js";
export {
  escapeMarkdown,
  escapeMermaid,
  mdDetails,
  mdTable
};
