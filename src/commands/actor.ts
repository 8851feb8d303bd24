import { git } from '../git/exec';
import { InputError } from '../errors';

/** SPEC 5: --actor, else GITHUB_ACTOR, else git user.name. */
export async function resolveActor(root: string, flag: string | undefined, env: Record<string, string | undefined>): Promise<string> {
  if (flag) return flag;
  if (env.GITHUB_ACTOR) return env.GITHUB_ACTOR;
  const r = await git(['config', 'user.name'], { cwd: root, allowFail: true });
  const name = r.stdout.trim();
  if (r.code === 0 && name) return name;
  throw new InputError('no actor: who is making this decision?', { hint: 'pass --actor NAME (or set git user.name)' });
}

/** The workflow run URL when running in GitHub Actions. */
export function ciRunUrl(env: Record<string, string | undefined>): string | undefined {
  const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID } = env;
  if (!GITHUB_SERVER_URL || !GITHUB_REPOSITORY || !GITHUB_RUN_ID) return undefined;
  return `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`;
}
