/**
 * One sticky PR comment per pull request: found among ALL comments by a hidden marker and by
 * author (only our own identity's comments count, so nobody can hijack the report by pasting
 * the marker), updated in place on every run.
 */
import type { GitHub } from './client';
import { statusOf } from './client';

export const COMMENT_MARKER = '<!-- modelgate-report -->';

interface IssueComment {
  id: number;
  body?: string;
  user: { login: string; type?: string } | null;
}

/** The login our token acts as; installation tokens cannot read /user, and act as the Actions bot. */
export async function ownLogin(gh: GitHub): Promise<string> {
  try {
    const r = await gh.request<{ login: string }>('GET /user');
    return r.data.login;
  } catch (err) {
    if (statusOf(err) === 403 || statusOf(err) === 401 || statusOf(err) === 404) return 'github-actions[bot]';
    throw err;
  }
}

export async function upsertComment(
  gh: GitHub,
  repo: { owner: string; repo: string },
  issueNumber: number,
  body: string,
): Promise<{ id: number; created: boolean }> {
  const me = (await ownLogin(gh)).toLowerCase();
  const comments = await gh.paginate<IssueComment>('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: issueNumber });
  const mine = comments.find((c) => c.user?.login.toLowerCase() === me && (c.body ?? '').includes(COMMENT_MARKER));
  const full = `${COMMENT_MARKER}\n${body}`;
  if (mine) {
    await gh.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...repo, comment_id: mine.id, body: full });
    return { id: mine.id, created: false };
  }
  const r = await gh.request<{ id: number }>('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: issueNumber, body: full });
  return { id: r.data.id, created: true };
}
