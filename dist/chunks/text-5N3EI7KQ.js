import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  displayWidth,
  formatNumber,
  inertLegacy,
  neutralizeWorkflowCommands,
  painter,
  plural,
  printable,
  shortHash,
  table,
  toJson,
  transitionLabel,
  truncate
} from "./chunk-PYSCYDZ7.js";
import "./chunk-CCN2QAD7.js";
export {
  displayWidth,
  formatNumber,
  inertLegacy,
  neutralizeWorkflowCommands,
  painter,
  plural,
  printable,
  shortHash,
  table,
  toJson,
  transitionLabel,
  truncate
};
