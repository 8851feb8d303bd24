/**
 * `@org/team` entries of `approvals.from`, resolved through the GitHub API for every flow the
 * Action runs (pull request, push/record, dispatch), memoized per run. An API outage during a
 * lookup ends the command with exit 3: the evaluation marks it as a fault (commands/evaluation.ts).
 */
import { createGitHub, type GitHub } from '../github/client';
import { teamMembers } from '../github/reviews';
import { retryTuning } from './gitHubApi';
import type { ActionContext } from './context';

export type TeamResolver = (team: string) => Promise<string[]>;

export function teamResolver(gh: GitHub): TeamResolver {
  const cache = new Map<string, Promise<string[]>>();
  return (team) => {
    let p = cache.get(team);
    if (!p) {
      p = teamMembers(gh, team);
      cache.set(team, p);
    }
    return p;
  };
}

/** A resolver with its own client, created on the first lookup only (octokit stays unloaded otherwise). */
export function lazyTeamResolver(ctx: ActionContext): TeamResolver {
  let inner: Promise<TeamResolver> | undefined;
  return async (team) => {
    inner ??= createGitHub({ token: ctx.inputs.token, baseUrl: ctx.apiUrl, ...retryTuning(ctx.env) }).then(teamResolver);
    return (await inner)(team);
  };
}
