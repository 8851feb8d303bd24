/** A change between two registry states that the gate judges (SPEC sections 4 and 5). */
import type { Stage } from '../manifest/types';

export type TransitionKind =
  | 'register' // a new version appeared (stage None or other)
  | 'stage' // a version changed stage
  | 'alias' // an alias now points at this version
  | 'remove' // a version was deleted from the manifest
  | 'modify'; // a registered version's run, artifact or evidence changed in place (`version.immutable` denies it)

export interface Transition {
  model: string;
  version: number;
  kind: TransitionKind;
  /** Previous stage; `null` for a new version. */
  from: Stage | null;
  /** New stage, `@alias` for alias moves, `null` for a removed version. */
  to: Stage | `@${string}` | null;
  /** For alias moves: the version the alias pointed at before, if any. */
  previousVersion?: number;
  /** How the change is made: rollback relaxes some checks (SPEC section 7); drift (`check --all`) re-judges a version in the stage it holds, where `from`, soak and approvals do not apply. */
  via?: 'rollback' | 'drift';
}
