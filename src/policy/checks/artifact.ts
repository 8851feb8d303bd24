/**
 * `artifact.exists` and `artifact.digest` (`artifact: { verify: true }`): the model files the
 * manifest points at are there and are the bytes that were registered (SPEC section 6).
 */
import type { ArtifactCheck } from '../context';
import type { Loaded } from './sources';
import type { RuleInput } from './input';
import { cannotEvaluate, fail, pass, type RawCheck } from './verdict';

const EXISTS = 'artifact.exists';
const DIGEST = 'artifact.digest';

export async function artifactChecks(input: RuleInput): Promise<RawCheck[]> {
  if (!input.rules.artifact?.verify) return [];
  const loaded = await input.sources.artifact();
  return [artifactExists(loaded), artifactDigest(loaded)];
}

export function artifactExists(loaded: Loaded<ArtifactCheck>): RawCheck {
  if (!loaded.ok) return loaded.notFound ? fail(EXISTS, loaded.message) : cannotEvaluate(EXISTS, loaded.message);
  const a = loaded.value;
  return a.exists ? pass(EXISTS, `artifact ${a.uri} exists`, { actual: a.uri }) : fail(EXISTS, `artifact ${a.uri} does not exist`, { actual: a.uri });
}

function artifactDigest(loaded: Loaded<ArtifactCheck>): RawCheck {
  if (!loaded.ok) return cannotEvaluate(DIGEST, loaded.message);
  const a = loaded.value;
  if (!a.exists) return cannotEvaluate(DIGEST, `artifact ${a.uri} does not exist`);
  if (!a.expected) return fail(DIGEST, `no digest recorded for ${a.uri}; run modelgate register or add digest: to the version in the manifest`, { actual: a.actual });
  if (!a.actual) return cannotEvaluate(DIGEST, `the digest of ${a.uri} could not be computed`, { expected: a.expected });
  const extra = { actual: a.actual, expected: a.expected };
  return a.actual === a.expected
    ? pass(DIGEST, `artifact ${a.uri} matches its digest ${a.expected}`, extra)
    : fail(DIGEST, `artifact ${a.uri} has digest ${a.actual}, but the manifest records ${a.expected}: the files changed since registration`, extra);
}
