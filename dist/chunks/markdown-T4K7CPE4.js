import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  escapeMarkdown,
  escapeMermaid,
  mdDetails,
  mdTable
} from "./chunk-JVJNO3D2.js";
import "./chunk-PYSCYDZ7.js";
import "./chunk-CCN2QAD7.js";
export {
  escapeMarkdown,
  escapeMermaid,
  mdDetails,
  mdTable
};
