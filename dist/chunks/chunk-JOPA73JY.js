import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  InputError,
  UnsafePathError
} from "./chunk-RTQ2UXCO.js";

// src/storage/paths.ts
import { posix } from "node:path";
var MAX_PATH_LENGTH = 1024;
function isS3Uri(ref) {
  return ref.startsWith("s3://");
}
function isMlflowArtifactsUri(ref) {
  return /^mlflow-artifacts:\/[^\s\0\\]*$/.test(ref);
}
function isRemoteUri(ref) {
  return isS3Uri(ref) || isMlflowArtifactsUri(ref);
}
var BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
function parseS3Uri(uri) {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m || !BUCKET.test(m[1])) {
    throw new InputError(`'${uri}' is not a valid S3 URI`, { hint: "write s3://<bucket>/<key or prefix/>" });
  }
  const key = m[2];
  if (key.includes("\0") || key.split("/").some((s) => s === ".." || s === ".")) {
    throw new InputError(`'${uri}' has '.', '..' or NUL segments`, { hint: "write the plain key of the object or prefix" });
  }
  return { bucket: m[1], key };
}
function normalizeRepoPath(ref, what = "path") {
  const hint = "write a path relative to the repository root, e.g. mlruns/1/<run_id>";
  const refuse = (why, h = hint) => new InputError(`${what} '${printable(ref)}' ${why}`, { hint: h });
  const escape = (why, h = hint) => new UnsafePathError(`${what} '${printable(ref)}' ${why}`, { hint: h });
  if (typeof ref !== "string" || ref.length === 0) throw refuse("is empty");
  if (ref.length > MAX_PATH_LENGTH) throw refuse(`is longer than ${MAX_PATH_LENGTH} characters`);
  if (ref.includes("\0")) throw escape("contains a NUL byte");
  if (ref.includes("\\")) throw escape("contains a backslash", "use forward slashes (/) in repository paths");
  if (/^[A-Za-z]:/.test(ref) || ref.startsWith("/") || ref.startsWith("~")) throw escape("is absolute: paths must stay inside the repository");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) throw refuse("is a URI that modelgate cannot read", "use a repository path or s3://bucket/key");
  const segments = ref.split("/");
  if (segments.includes("..")) throw escape("contains '..': paths must stay inside the repository");
  const norm = posix.normalize(ref).replace(/\/+$/, "");
  if (norm === "." || norm === "") throw refuse("names the repository root itself");
  return norm.replace(/^\.\//, "");
}
function printable(s) {
  const shown = s.length > 200 ? s.slice(0, 200) + "\u2026" : s;
  return shown.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
function byteOrder(a, b) {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export {
  MAX_PATH_LENGTH,
  isS3Uri,
  isMlflowArtifactsUri,
  isRemoteUri,
  parseS3Uri,
  normalizeRepoPath,
  printable,
  byteOrder
};
