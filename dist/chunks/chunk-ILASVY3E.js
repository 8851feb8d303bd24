import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  printable
} from "./chunk-JOPA73JY.js";
import {
  EnvironmentError,
  InputError
} from "./chunk-RTQ2UXCO.js";

// src/mlflow/connection.ts
import { readFileSync } from "node:fs";
var DEFAULT_TIMEOUT_MS = 3e4;
var DEFAULT_ATTEMPTS = 4;
var DEFAULT_BACKOFF_MS = 500;
function connectionFromEnv(env) {
  const raw = nonEmpty(env.MLFLOW_TRACKING_URI);
  if (raw === void 0) {
    throw new InputError("runs:/ and models:/ references need MLFLOW_TRACKING_URI", {
      hint: "set MLFLOW_TRACKING_URI to the tracking server, e.g. https://mlflow.example.com (credentials go in MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN)"
    });
  }
  let url;
  try {
    url = new URL(raw);
  } catch {
    url = new URL("invalid:");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InputError(`MLFLOW_TRACKING_URI '${printable(stripCredentials(raw))}' is not an http(s) URL`, {
      hint: "modelgate reads runs from a tracking server (http:// or https://); for a file store, point --run at the run directory in the repository"
    });
  }
  const secrets = [];
  let authorization;
  const uriUser = decodeURIComponent(url.username);
  const uriPass = decodeURIComponent(url.password);
  url.username = "";
  url.password = "";
  const user = nonEmpty(env.MLFLOW_TRACKING_USERNAME) ?? nonEmpty(uriUser);
  const pass = nonEmpty(env.MLFLOW_TRACKING_PASSWORD) ?? nonEmpty(uriPass);
  const token = nonEmpty(env.MLFLOW_TRACKING_TOKEN);
  if (user !== void 0 || pass !== void 0) {
    const basic = Buffer.from(`${user ?? ""}:${pass ?? ""}`).toString("base64");
    authorization = `Basic ${basic}`;
    secrets.push(basic, ...pass !== void 0 ? [pass] : []);
  } else if (token !== void 0) {
    authorization = `Bearer ${token}`;
    secrets.push(token);
  }
  const certPath = nonEmpty(env.MLFLOW_TRACKING_SERVER_CERT_PATH);
  let ca;
  if (certPath !== void 0) {
    try {
      ca = readFileSync(certPath, "utf8");
    } catch (err) {
      throw new EnvironmentError(`MLFLOW_TRACKING_SERVER_CERT_PATH '${printable(certPath)}' could not be read: ${err.message}`, {
        hint: "point it at the PEM file of the CA that signed the server certificate"
      });
    }
  }
  const base = `${url.origin}${url.pathname}`.replace(/\/+$/, "");
  return {
    trackingUri: base,
    ...authorization !== void 0 ? { authorization } : {},
    secrets,
    insecureTls: /^(true|1|yes)$/i.test(env.MLFLOW_TRACKING_INSECURE_TLS ?? ""),
    ...ca !== void 0 ? { ca } : {},
    timeoutMs: positive(env, "MODELGATE_MLFLOW_TIMEOUT_MS") ?? DEFAULT_TIMEOUT_MS,
    attempts: positive(env, "MODELGATE_MLFLOW_ATTEMPTS") ?? DEFAULT_ATTEMPTS,
    backoffMs: nonNegative(env, "MODELGATE_MLFLOW_BACKOFF_MS") ?? DEFAULT_BACKOFF_MS
  };
}
function stripCredentials(uri) {
  return uri.replace(/\/\/[^/@]*@/, "//");
}
function positive(env, name) {
  const n = nonNegative(env, name);
  if (n === 0) throw new EnvironmentError(`${name} must be greater than 0`, { hint: "unset it for the default" });
  return n;
}
function nonNegative(env, name) {
  const raw = nonEmpty(env[name]);
  if (raw === void 0) return void 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new EnvironmentError(`${name} '${printable(raw)}' is not a whole number`, { hint: "unset it for the default" });
  }
  return n;
}
function nonEmpty(s) {
  return s === void 0 || s === "" ? void 0 : s;
}

export {
  connectionFromEnv
};
