import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  annotate,
  onPullRequest,
  publishCheck,
  pullRequestOf
} from "./chunk-4ZR6VRKS.js";
import "./chunk-6QRSR4KS.js";
import "./chunk-JRMUGC4B.js";
import "./chunk-ENWDNFQH.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-4UTOWC7N.js";
import "./chunk-DC2BPCUF.js";
import "./chunk-S36TAI46.js";
import "./chunk-72JV3TRO.js";
import "./chunk-PFSJN6VZ.js";
import "./chunk-E2G34L76.js";
import "./chunk-D7WOBC7Y.js";
import "./chunk-PNMDNJGF.js";
import "./chunk-YCT3Q6AA.js";
import "./chunk-JVJNO3D2.js";
import "./chunk-3UWGGRDM.js";
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
