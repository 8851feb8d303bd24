/**
 * Where the MLflow tracking server is and how to authenticate to it, from MLflow's own
 * environment variables. The credentials live only in the `authorization` header built here:
 * `trackingUri` (the one thing that is written into snapshots and messages) never holds them.
 */
import { readFileSync } from 'node:fs';
import { EnvironmentError, InputError } from '../errors';
import { printable } from '../storage/paths';

type Env = Record<string, string | undefined>;

export interface MlflowConnection {
  /** The server's base URL without credentials, query or fragment; no trailing slash. */
  trackingUri: string;
  /** `Basic …` or `Bearer …`, when credentials are configured. */
  authorization?: string;
  /** The secrets, so error texts can be scrubbed of them. */
  secrets: string[];
  /** MLFLOW_TRACKING_INSECURE_TLS=true: do not verify the server's certificate. */
  insecureTls: boolean;
  /** PEM contents of MLFLOW_TRACKING_SERVER_CERT_PATH. */
  ca?: string;
  /** Longest wait for one request, body included, ms. */
  timeoutMs: number;
  /** Attempts per request, the first included. */
  attempts: number;
  /** Base of the exponential backoff, ms. */
  backoffMs: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_ATTEMPTS = 4;
const DEFAULT_BACKOFF_MS = 500;

/** The connection for `runs:/` and `models:/` references: MLFLOW_TRACKING_URI is required. */
export function connectionFromEnv(env: Env): MlflowConnection {
  const raw = nonEmpty(env.MLFLOW_TRACKING_URI);
  if (raw === undefined) {
    throw new InputError('runs:/ and models:/ references need MLFLOW_TRACKING_URI', {
      hint: 'set MLFLOW_TRACKING_URI to the tracking server, e.g. https://mlflow.example.com (credentials go in MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN)',
    });
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    url = new URL('invalid:'); // replaced below by the error
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`MLFLOW_TRACKING_URI '${printable(stripCredentials(raw))}' is not an http(s) URL`, {
      hint: 'modelgate reads runs from a tracking server (http:// or https://); for a file store, point --run at the run directory in the repository',
    });
  }
  const secrets: string[] = [];
  let authorization: string | undefined;
  // Credentials in the URI (https://user:pass@host) are honoured like the MLflow client does, and removed.
  const uriUser = decodeURIComponent(url.username);
  const uriPass = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  const user = nonEmpty(env.MLFLOW_TRACKING_USERNAME) ?? nonEmpty(uriUser);
  const pass = nonEmpty(env.MLFLOW_TRACKING_PASSWORD) ?? nonEmpty(uriPass);
  const token = nonEmpty(env.MLFLOW_TRACKING_TOKEN);
  if (user !== undefined || pass !== undefined) {
    const basic = Buffer.from(`${user ?? ''}:${pass ?? ''}`).toString('base64');
    authorization = `Basic ${basic}`;
    secrets.push(basic, ...(pass !== undefined ? [pass] : []));
  } else if (token !== undefined) {
    authorization = `Bearer ${token}`;
    secrets.push(token);
  }
  const certPath = nonEmpty(env.MLFLOW_TRACKING_SERVER_CERT_PATH);
  let ca: string | undefined;
  if (certPath !== undefined) {
    try {
      ca = readFileSync(certPath, 'utf8');
    } catch (err) {
      throw new EnvironmentError(`MLFLOW_TRACKING_SERVER_CERT_PATH '${printable(certPath)}' could not be read: ${(err as Error).message}`, {
        hint: 'point it at the PEM file of the CA that signed the server certificate',
      });
    }
  }
  const base = `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  return {
    trackingUri: base,
    ...(authorization !== undefined ? { authorization } : {}),
    secrets,
    insecureTls: /^(true|1|yes)$/i.test(env.MLFLOW_TRACKING_INSECURE_TLS ?? ''),
    ...(ca !== undefined ? { ca } : {}),
    timeoutMs: positive(env, 'MODELGATE_MLFLOW_TIMEOUT_MS') ?? DEFAULT_TIMEOUT_MS,
    attempts: positive(env, 'MODELGATE_MLFLOW_ATTEMPTS') ?? DEFAULT_ATTEMPTS,
    backoffMs: nonNegative(env, 'MODELGATE_MLFLOW_BACKOFF_MS') ?? DEFAULT_BACKOFF_MS,
  };
}

/** `https://u:p@host/x` → `https://host/x`, for messages about a URI that did not parse. */
function stripCredentials(uri: string): string {
  return uri.replace(/\/\/[^/@]*@/, '//');
}

function positive(env: Env, name: string): number | undefined {
  const n = nonNegative(env, name);
  if (n === 0) throw new EnvironmentError(`${name} must be greater than 0`, { hint: 'unset it for the default' });
  return n;
}

function nonNegative(env: Env, name: string): number | undefined {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new EnvironmentError(`${name} '${printable(raw)}' is not a whole number`, { hint: 'unset it for the default' });
  }
  return n;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}
