/**
 * One sticky PR comment per pull request: found among ALL comments by a hidden marker and by
 * author (only our own identity's comments count, so nobody can hijack the report by pasting
 * the marker), updated in place on every run.
 */
import { GitHubApiError, type GitHub } from './client';

export const COMMENT_MARKER = '<!-- modelgate-report -->';

/** The identity GITHUB_TOKEN acts as. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

type Repo = { owner: string; repo: string };
type Upserted = { id: number; created: boolean };

interface IssueComment {
  id: number;
  body?: string;
  user: { login: string; type?: string } | null;
}

/**
 * The login our token acts as. GraphQL `viewer` answers for personal tokens and for
 * installation tokens alike (`<app>[bot]`), where REST `GET /user` refuses installation tokens.
 * A token that cannot say who it is (an error answer) is the Actions bot.
 */
export async function ownLogin(gh: GitHub): Promise<string> {
  try {
    const r = await gh.graphql<{ viewer: { login: string } | null }>('query { viewer { login } }');
    return r.viewer?.login || ACTIONS_BOT_LOGIN;
  } catch (err) {
    // An outage propagates (fail closed); a refusal to answer means "the Actions bot".
    if (err instanceof GitHubApiError && !err.outage) return ACTIONS_BOT_LOGIN;
    throw err;
  }
}

/**
 * Updates our comment, or creates it. With `create: false` an existing comment is updated but
 * none is created (a PR with nothing to judge gets no new comment; an earlier verdict is not
 * left standing). Resolves undefined when nothing was written.
 */
export async function upsertComment(gh: GitHub, repo: Repo, issueNumber: number, body: string): Promise<Upserted>;
export async function upsertComment(gh: GitHub, repo: Repo, issueNumber: number, body: string, opts: { create?: boolean }): Promise<Upserted | undefined>;
export async function upsertComment(gh: GitHub, repo: Repo, issueNumber: number, body: string, opts: { create?: boolean } = {}): Promise<Upserted | undefined> {
  const me = (await ownLogin(gh)).toLowerCase();
  const comments = await gh.paginate<IssueComment>('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: issueNumber });
  // The newest of ours wins if an earlier run raced and left two.
  const mine = comments.filter((c) => c.user?.login.toLowerCase() === me && (c.body ?? '').includes(COMMENT_MARKER)).pop();
  const full = `${COMMENT_MARKER}\n${body}`;
  if (mine) {
    await gh.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...repo, comment_id: mine.id, body: full });
    return { id: mine.id, created: false };
  }
  if (opts.create === false) return undefined;
  const r = await gh.request<{ id: number }>('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: issueNumber, body: full });
  return { id: r.data.id, created: true };
}
