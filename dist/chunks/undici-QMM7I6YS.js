import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  require_undici
} from "./chunk-DC2BPCUF.js";
import "./chunk-CCN2QAD7.js";
export default require_undici();
