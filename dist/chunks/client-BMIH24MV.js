import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  HISTORY_PAGE_SIZE,
  MAX_PAGES,
  MlflowApiError,
  SEARCH_PAGE_SIZE,
  artifactPath,
  createMlflowClient,
  isMlflowArtifactsUri
} from "./chunk-2UQMGH7H.js";
import "./chunk-JOPA73JY.js";
import "./chunk-RTQ2UXCO.js";
import "./chunk-CCN2QAD7.js";
export {
  HISTORY_PAGE_SIZE,
  MAX_PAGES,
  MlflowApiError,
  SEARCH_PAGE_SIZE,
  artifactPath,
  createMlflowClient,
  isMlflowArtifactsUri
};
