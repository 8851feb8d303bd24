import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  annotate,
  onPullRequest,
  publishCheck,
  pullRequestOf
} from "./chunk-5KUMOOHJ.js";
import "./chunk-MDGJOOMK.js";
import "./chunk-WMLXBDXE.js";
import "./chunk-VEV7GLFQ.js";
import "./chunk-KJYE4KVK.js";
import "./chunk-WCWIUZUK.js";
import "./chunk-W7Z66SK3.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-4UTOWC7N.js";
import "./chunk-DC2BPCUF.js";
import "./chunk-TBOHN3PD.js";
import "./chunk-5ZHK5UEQ.js";
import "./chunk-AC5YBY3W.js";
import "./chunk-SO4SZRZT.js";
import "./chunk-2QVUTHZK.js";
import "./chunk-RS6I5QEC.js";
import "./chunk-E2G34L76.js";
import "./chunk-D7WOBC7Y.js";
import "./chunk-PNMDNJGF.js";
import "./chunk-YCT3Q6AA.js";
import "./chunk-JVJNO3D2.js";
import "./chunk-G62P4OLM.js";
import "./chunk-HYWAOBHT.js";
import "./chunk-JOPA73JY.js";
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
