import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  runRecord
} from "./chunk-YR3SFJE6.js";
import "./chunk-ENB44E7L.js";
import "./chunk-U3T5ML6F.js";
import "./chunk-VEV7GLFQ.js";
import "./chunk-KJYE4KVK.js";
import "./chunk-WCWIUZUK.js";
import "./chunk-W7Z66SK3.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-BSSGNPR6.js";
import "./chunk-Z3SKHCNY.js";
import "./chunk-TBOHN3PD.js";
import "./chunk-5ZHK5UEQ.js";
import "./chunk-AC5YBY3W.js";
import "./chunk-SO4SZRZT.js";
import "./chunk-2QVUTHZK.js";
import "./chunk-RS6I5QEC.js";
import "./chunk-E2G34L76.js";
import "./chunk-D7WOBC7Y.js";
import "./chunk-PNMDNJGF.js";
import "./chunk-G62P4OLM.js";
import "./chunk-HYWAOBHT.js";
import "./chunk-JOPA73JY.js";
import "./chunk-RTQ2UXCO.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";
export {
  runRecord
};
