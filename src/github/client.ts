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
}

/** Errors octokit throws carry `status`; anything else (network) has none. */
interface RequestErrorLike {
  status?: number;
  message: string;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}

function retryable(err: RequestErrorLike): boolean {
  if (err.status === undefined) return true; // network error
  if (err.status >= 500 || err.status === 429) return true;
  // Secondary rate limits answer 403 with a retry-after or a rate-limit message.
  return err.status === 403 && (err.response?.headers?.['retry-after'] !== undefined || /rate limit/i.test(err.message));
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
  });
  const attempts = opts.attempts ?? 4;
  const backoff = opts.backoffMs ?? 500;

  async function withRetry<T>(what: string, fn: () => Promise<T>): Promise<T> {
    let last: RequestErrorLike | undefined;
    for (let i = 0; i < attempts; i++) {
      try {
        return await fn();
      } catch (e) {
        const err = e as RequestErrorLike;
        if (!retryable(err)) throw err;
        last = err;
        if (i < attempts - 1) await new Promise((r) => setTimeout(r, backoff * 2 ** i * (0.5 + Math.random())));
      }
    }
    throw new EnvironmentError(`GitHub API ${what} failed after ${attempts} attempts: ${scrub(last?.message ?? 'unknown error', opts.token)}`, {
      hint: 'GitHub may be degraded (see githubstatus.com) or the rate limit is exhausted; re-run the job. Nothing was allowed.',
    });
  }

  return {
    request: (route, params = {}) => withRetry(route, () => octokit.request(route, params) as Promise<never>),
    paginate: (route, params = {}) => withRetry(route, () => octokit.paginate(route, { per_page: 100, ...params }) as Promise<never>),
    graphql: (query, variables = {}) => withRetry('graphql', () => octokit.graphql(query, variables) as Promise<never>),
  };
}

/** Removes a token from text before it is shown anywhere. */
export function scrub(text: string, token: string): string {
  return token ? text.split(token).join('***') : text;
}

export function statusOf(err: unknown): number | undefined {
  return (err as RequestErrorLike)?.status;
}
