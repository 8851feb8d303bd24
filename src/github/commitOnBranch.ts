/**
 * Writes a commit through the GitHub API (GraphQL createCommitOnBranch), so the commit is
 * signed/verified by GitHub for repositories that require signed commits. `expectedHeadOid`
 * makes it a compare-and-swap: when the branch moved, GitHub refuses and the caller re-judges
 * on the new head.
 */
import type { GitHub } from './client';
import { GitHubApiError } from './client';

/** The branch is no longer at `expectedHeadOid`: someone else committed first. */
export class HeadMovedError extends Error {}

export interface ApiCommit {
  repository: string; // owner/name
  branch: string;
  expectedHeadOid: string;
  headline: string;
  body: string;
  files: { path: string; contents: Buffer }[];
}

const MUTATION = `mutation($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid url } }
}`;

export async function createCommitOnBranch(gh: GitHub, c: ApiCommit): Promise<string> {
  try {
    const r = await gh.graphql<{ createCommitOnBranch: { commit: { oid: string } } }>(MUTATION, {
      input: {
        branch: { repositoryNameWithOwner: c.repository, branchName: c.branch },
        expectedHeadOid: c.expectedHeadOid,
        message: { headline: c.headline, body: c.body },
        fileChanges: { additions: c.files.map((f) => ({ path: f.path, contents: f.contents.toString('base64') })) },
      },
    });
    return r.createCommitOnBranch.commit.oid;
  } catch (err) {
    if (isHeadMoved(err)) throw new HeadMovedError((err as Error).message);
    throw err;
  }
}

/** GitHub answers a stale expectedHeadOid with a STALE_DATA error ("Expected branch to point to …"). */
function isHeadMoved(err: unknown): boolean {
  if (err instanceof GitHubApiError && err.graphqlTypes.includes('STALE_DATA')) return true;
  return /expected branch to point to/i.test((err as Error)?.message ?? '');
}
