/**
 * The GitHub API adapter: a thin wrapper over octokit's `request` with our own bounded retry
 * (5xx, 429 and secondary rate limits), so a flaky API ends in a clear EnvironmentError (exit
 * 3, fail closed) after a few tries instead of hanging or "allowing". octokit is imported
 * lazily: local runs and the Action's no-op paths never load it.
 */
import { EnvironmentError } from '../errors';

export interface GitHubResponse<T> {
  status: number;
  data: T;
  headers: Record<string, string | number | undefined>;
}

export interface GitHub {
  request<T = unknown>(route: string, params?: Record<string, unknown>): Promise<GitHubResponse<T>>;
  /** All pages of a list endpoint (per_page 100). */
  paginate<T = unknown>(route: string, params?: Record<string, unknown>): Promise<T[]>;
  graphql<T = unknown>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

export interface GitHubOptions {
  token: string;
  baseUrl: string;
  /** Attempts per request, including the first. */
  attempts?: number;
  /** Base of the exponential backoff, ms (tests make it small). */
  backoffMs?: number;
  /** Longest wait for one HTTP request, ms: a stalled connection counts as a failed attempt. */
  timeoutMs?: number;
}

/** An API that accepts the connection and never answers must not hold the job for hours. */
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A GitHub API call that failed for good: a refusal (4xx) or an error that outlived the
 * retries. An EnvironmentError (exit 3, fail closed) that keeps the HTTP status, so callers can
 * tell "this token may not comment" (403) from an outage.
 */
export class GitHubApiError extends EnvironmentError {
  readonly status: number | undefined;
  /** GraphQL error types (`STALE_DATA`, `FORBIDDEN`, ...), when GraphQL answered with errors. */
  readonly graphqlTypes: string[];
  /** The API kept failing through every retry (an outage), as opposed to answering no. */
  readonly outage: boolean;
  constructor(message: string, opts: { status?: number; graphqlTypes?: string[]; outage?: boolean; hint?: string; cause?: unknown }) {
    super(message, { ...(opts.hint ? { hint: opts.hint } : {}), cause: opts.cause });
    this.status = opts.status;
    this.graphqlTypes = opts.graphqlTypes ?? [];
    this.outage = opts.outage ?? false;
  }
}

/** What octokit throws: RequestError carries `status`; GraphqlResponseError carries `errors`. */
interface OctokitErrorLike {
  status?: number;
  message: string;
  errors?: { type?: string; message?: string }[];
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}

function retryable(err: OctokitErrorLike): boolean {
  // GraphQL answered (HTTP 200) with errors: a verdict, not an outage (STALE_DATA, FORBIDDEN).
  if (Array.isArray(err.errors)) return false;
  if (err.status === undefined) return true; // network error
  if (err.status >= 500 || err.status === 429) return true;
  // Secondary rate limits answer 403 with a retry-after or a rate-limit message.
  return err.status === 403 && (err.response?.headers?.['retry-after'] !== undefined || /rate limit/i.test(err.message));
}

function hintFor(status: number | undefined): string {
  if (status === 401) return 'the token was refused: check the github-token input (expired or revoked?)';
  if (status === 403) return 'the token lacks a permission this step needs: see the permissions table in the README (pull-requests: write to comment, contents: write to commit)';
  if (status === 404) return 'not found, or not visible to this token (private repositories and org teams need a token that can see them)';
  return 'GitHub may be degraded (see githubstatus.com) or the rate limit is exhausted; re-run the job. Nothing was allowed.';
}

/** Turns whatever octokit threw into a GitHubApiError whose text never holds the token. */
function apiError(what: string, err: OctokitErrorLike, token: string, attempts?: number): GitHubApiError {
  const graphqlTypes = (err.errors ?? []).map((e) => e.type ?? '').filter(Boolean);
  const said = scrub(err.message || 'unknown error', token);
  const message = attempts ? `GitHub API ${what} failed after ${attempts} attempts: ${said}` : `GitHub API ${what} failed${err.status ? ` (${err.status})` : ''}: ${said}`;
  return new GitHubApiError(message, {
    ...(err.status !== undefined ? { status: err.status } : {}),
    graphqlTypes,
    outage: attempts !== undefined,
    hint: hintFor(attempts ? undefined : err.status),
  });
}

export async function createGitHub(opts: GitHubOptions): Promise<GitHub> {
  const { Octokit } = await import('octokit');
  const octokit = new Octokit({
    auth: opts.token,
    baseUrl: opts.baseUrl.replace(/\/$/, ''),
    // Our own bounded retry below; the plugins' unbounded waits are off.
    retry: { enabled: false },
    throttle: { enabled: false },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    request: { fetch: fetchWithTimeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS) },
  });
  const attempts = opts.attempts ?? 4;
  const backoff = opts.backoffMs ?? 500;

  async function withRetry<T>(what: string, fn: () => Promise<T>): Promise<T> {
    let last: OctokitErrorLike | undefined;
    for (let i = 0; i < attempts; i++) {
      try {
        return await fn();
      } catch (e) {
        const err = e as OctokitErrorLike;
        if (!retryable(err)) throw apiError(what, err, opts.token);
        last = err;
        if (i < attempts - 1) await new Promise((r) => setTimeout(r, backoff * 2 ** i * (0.5 + Math.random())));
      }
    }
    throw apiError(what, last ?? { message: 'unknown error' }, opts.token, attempts);
  }

  return {
    request: (route, params = {}) => withRetry(route, () => octokit.request(route, params) as Promise<never>),
    paginate: (route, params = {}) => withRetry(route, () => octokit.paginate(route, { per_page: 100, ...params }) as Promise<never>),
    graphql: (query, variables = {}) => withRetry('graphql', () => octokit.graphql(query, variables) as Promise<never>),
  };
}

/**
 * fetch bounded in time, body included: the body is read here, so a stall or a connection
 * dropped mid-body is an error octokit retries (then an outage: exit 3), never the empty data
 * octokit would otherwise hand back. Each page of a paginated list gets its own budget.
 */
function fetchWithTimeout(ms: number): typeof fetch {
  return async (input, init) => {
    const timeout = AbortSignal.timeout(ms);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      const res = await fetch(input, { ...init, signal });
      const body = NULL_BODY_STATUS.has(res.status) ? null : await res.arrayBuffer();
      const whole = new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
      Object.defineProperty(whole, 'url', { value: res.url });
      return whole;
    } catch (err) {
      if (timeout.aborted) throw new Error(`no answer within ${ms / 1000} s`, { cause: err });
      throw err;
    }
  };
}

/** Statuses a Response may not carry a body with. */
const NULL_BODY_STATUS = new Set([204, 205, 304]);

/** Removes a token from text before it is shown anywhere. */
export function scrub(text: string, token: string): string {
  return token ? text.split(token).join('***') : text;
}

export function statusOf(err: unknown): number | undefined {
  return (err as { status?: number } | undefined)?.status;
}
