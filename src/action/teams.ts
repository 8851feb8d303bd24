/**
 * `@org/team` entries of `approvals.from`, resolved through the GitHub API for every flow the
 * Action runs (pull request, push/record, dispatch), memoized per run. An outage is kept so the
 * step fails with exit 3 rather than reading it as "not approved".
 */
import { createGitHub, GitHubApiError, type GitHub } from '../github/client';
import { teamMembers } from '../github/reviews';
import { retryTuning } from './apiCommit';
import type { ActionContext } from './context';

export interface TeamResolver {
  resolve: (team: string) => Promise<string[]>;
  /** The first lookup lost to an API outage, if any: throw it once the command has run. */
  outage: GitHubApiError | undefined;
}

export function teamResolver(gh: GitHub): TeamResolver {
  const cache = new Map<string, Promise<string[]>>();
  const self: TeamResolver = {
    outage: undefined,
    resolve: (team) => {
      let p = cache.get(team);
      if (!p) {
        p = teamMembers(gh, team).catch((err: unknown) => {
          if (err instanceof GitHubApiError && err.outage) self.outage ??= err;
          throw err;
        });
        cache.set(team, p);
      }
      return p;
    },
  };
  return self;
}

/** A resolver with its own client; the client (and octokit) is created on the first lookup only. */
export function lazyTeamResolver(ctx: ActionContext): TeamResolver {
  let inner: Promise<TeamResolver> | undefined;
  const self: TeamResolver = {
    outage: undefined,
    resolve: async (team) => {
      inner ??= createGitHub({ token: ctx.inputs.token, baseUrl: ctx.apiUrl, ...retryTuning(ctx.env) }).then(teamResolver);
      const r = await inner;
      try {
        return await r.resolve(team);
      } finally {
        self.outage ??= r.outage;
      }
    },
  };
  return self;
}
