/**
 * Writes a commit through the GitHub API (GraphQL createCommitOnBranch), so the commit is
 * signed/verified by GitHub for repositories that require signed commits. `expectedHeadOid`
 * makes it a compare-and-swap: when the branch moved, GitHub refuses and the caller re-judges
 * on the new head.
 */
import type { GitHub } from './client';

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
    if (/expected branch to point to|expectedHeadOid|STALE_DATA/i.test((err as Error).message)) throw new HeadMovedError((err as Error).message);
    throw err;
  }
}
