/**
 * `signature.required` (the model declares its inputs) and `signature.compatible` (its inputs
 * are a drop-in replacement for those of the version in a stage or alias in the base state).
 */
import type { RunRecord, SignatureState, Spec } from '../../runs/types';
import type { Target } from '../types';
import { runUnavailable } from './sources';
import { v, type RuleInput } from './input';
import { withRun } from './runMetadata';
import { compareInputs, describeBreaking } from './signatureCompatibility';
import { cannotEvaluate, fail, pass, type RawCheck } from './verdict';

const REQUIRED = 'signature.required';
const COMPATIBLE = 'signature.compatible';

export async function signatureChecks(input: RuleInput): Promise<RawCheck[]> {
  const rule = input.rules.signature;
  if (!rule) return [];
  const out: RawCheck[] = [];
  if (rule.required) out.push(withRun(await input.sources.run(), REQUIRED, signatureRequired));
  if (rule.compatibleWith !== undefined) out.push(await signatureCompatible(input, rule.compatibleWith));
  return out;
}

type Inputs = { ok: true; inputs: Spec[] } | { ok: false; state: SignatureState; why: string };

/** The declared inputs, or why there are none (`why` reads after "the signature of v3 ..."). */
function inputsOf(state: SignatureState): Inputs {
  switch (state.state) {
    case 'found':
      if (state.signature.inputs && state.signature.inputs.length > 0) return { ok: true, inputs: state.signature.inputs };
      return { ok: false, state, why: `declares no inputs (${state.source})` };
    case 'absent':
      return { ok: false, state, why: `is absent: ${state.source} has no signature` };
    case 'unavailable':
      return { ok: false, state, why: `is unavailable: ${state.reason}` };
    case 'invalid': {
      // The error usually starts with the file already (`MLmodel:3:1: …`): name it once.
      const what = state.error.startsWith(state.source) ? state.error : `${state.source}: ${state.error}`;
      return { ok: false, state, why: `is unreadable: ${what}` };
    }
  }
}

/** A signature we could not read is an evaluation failure; one that is not there is a plain fail. */
function unreadable(state: SignatureState): boolean {
  return state.state === 'unavailable' || state.state === 'invalid';
}

function signatureRequired(run: RunRecord): RawCheck {
  const found = inputsOf(run.signature);
  if (found.ok) return pass(REQUIRED, `the model declares ${found.inputs.length} input${found.inputs.length === 1 ? '' : 's'}`, { actual: found.inputs.length });
  if (unreadable(found.state)) return cannotEvaluate(REQUIRED, `the model signature ${found.why}`);
  return fail(REQUIRED, `no signature: the model signature ${found.why}; log the model with a signature (mlflow.models.infer_signature)`);
}

async function signatureCompatible(input: RuleInput, target: Target): Promise<RawCheck> {
  const version = input.transition.version;
  const base = await input.sources.baseline(target);
  if (!base.ok) return cannotEvaluate(COMPATIBLE, `could not find the version in ${target}: ${base.message}`);
  if (!base.value) return pass(COMPATIBLE, `no version in ${target} to compare with`);
  const against = base.value.version.version;
  if (against === version) return pass(COMPATIBLE, `${v(version)} is itself the version in ${target}`);

  const own = await input.sources.run();
  if (!own.ok) return cannotEvaluate(COMPATIBLE, runUnavailable(own));
  const mine = inputsOf(own.value.signature);
  if (!mine.ok) {
    return unreadable(mine.state)
      ? cannotEvaluate(COMPATIBLE, `the signature of ${v(version)} ${mine.why}`)
      : fail(COMPATIBLE, `${v(version)} has no signature to compare with ${v(against)} (${target}): it ${mine.why}`);
  }

  const theirRun = await input.sources.baselineRun(base.value);
  if (!theirRun.ok) return cannotEvaluate(COMPATIBLE, `the run of ${v(against)} (${target}): ${runUnavailable(theirRun)}`);
  const theirs = inputsOf(theirRun.value.signature);
  if (!theirs.ok) {
    // A legacy model without a signature promised no input schema: nothing can break it.
    return unreadable(theirs.state)
      ? cannotEvaluate(COMPATIBLE, `the signature of ${v(against)} (${target}) ${theirs.why}`)
      : pass(COMPATIBLE, `${v(against)} (${target}) has no input signature; nothing to be compatible with`);
  }

  const result = compareInputs(theirs.inputs, mine.inputs);
  const extra = { expected: `compatible with ${v(against)} (${target})` };
  if (result.compatible) {
    const added = result.added.length ? `; new optional input${result.added.length === 1 ? '' : 's'}: ${result.added.join(', ')}` : '';
    return pass(COMPATIBLE, `inputs are compatible with ${v(against)} (${target})${added}`, extra);
  }
  return fail(COMPATIBLE, `inputs break compatibility with ${v(against)} (${target}): ${describeBreaking(result.breaking)}`, {
    ...extra,
    actual: result.breaking,
  });
}
