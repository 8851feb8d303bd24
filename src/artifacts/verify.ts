/**
 * artifact.exists and artifact.digest: what the policy engine is handed about the artifact of
 * the version it judges. A fault (S3 down, access denied) is thrown, never reported as a
 * missing artifact: the engine records it as `could not evaluate:` (fail closed) and the
 * command ends with exit 3 (commands/evaluation.ts marks it as a fault, which the engine returns).
 */
import type { ArtifactCheck } from '../policy/context';
import { digestArtifact, type DigestOptions } from './digest';

export async function checkArtifact(uri: string, expected: string | undefined, o: DigestOptions): Promise<ArtifactCheck> {
  const d = await digestArtifact(uri, o);
  return {
    uri,
    exists: d.exists,
    ...(expected !== undefined ? { expected } : {}),
    ...(d.digest !== undefined ? { actual: d.digest } : {}),
  };
}
