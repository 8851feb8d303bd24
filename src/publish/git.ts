/** Publishing with git: commit the change locally, push it; a push rejected because the branch moved drops our commit. */
import { EnvironmentError } from '../errors';
import { catchUp, fetchTip, pushHead, resetKeep } from '../git/push';
import { crashPoint } from '../storage/atomic';
import { commitChange } from './change';
import type { Publisher } from './publisher';

export function gitPublisher(root: string, branch: string, remote = 'origin'): Publisher {
  const target = `${remote}/${branch}`;
  let rejected = false;
  return {
    branch,
    target,
    nothingDone: 'nothing was pushed',
    refusal: 'push rejected',
    async catchUp() {
      const tip = await fetchTip(root, remote, branch);
      if (tip !== undefined) return catchUp(root, target, tip);
      // A branch the remote does not have yet is pushed as new; one that vanished under a rejection is not.
      if (rejected) throw new EnvironmentError(`the push to ${target} was rejected, but ${target} no longer exists`, { hint: 'check the remote branch, then re-run' });
    },
    async publish(change, judgedOn) {
      const sha = await commitChange(root, change);
      crashPoint('before-push');
      if ((await pushHead(root, remote, branch)) === 'pushed') return sha;
      // Someone pushed first. Our commit is dropped at once (a run killed while it waits leaves
      // no unpushed commit), and the change is made again on their tip.
      rejected = true;
      await resetKeep(root, judgedOn, target);
      crashPoint('push-rejected');
      return 'moved';
    },
  };
}
