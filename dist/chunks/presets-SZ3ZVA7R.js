import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  PRESETS,
  PRESET_PREFIX,
  presetNames,
  presetText
} from "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";
export {
  PRESETS,
  PRESET_PREFIX,
  presetNames,
  presetText
};
