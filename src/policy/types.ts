/** Policy documents (SPEC section 4) and the one result shape every output renders. */
import type { Stage } from '../manifest/types';

/** A rule target: a stage, or an alias written `@name`. */
export type Target = Stage | `@${string}`;

export interface MetricRule {
  name: string; // may be a glob
  min?: number;
  max?: number;
  baseline?: Target;
  maxDecrease?: number;
  minIncrease?: number;
  maxRelDecrease?: number;
  minRelIncrease?: number;
  direction?: 'higher' | 'lower';
  optional?: boolean;
}

export interface StageRules {
  from?: Stage[];
  run?: { status?: string | string[]; source?: 'verified' };
  tags?: { required?: string[]; match?: Record<string, string> };
  params?: { required?: string[] };
  signature?: { required?: boolean; compatibleWith?: Target };
  metrics?: MetricRule[];
  /** Duration text (`24h`, `7d`). */
  minTimeInStage?: string;
  approvals?: { required: number; from?: string[] };
  artifact?: { verify?: boolean };
}

export type Level = 'deny' | 'warn';

export interface Waiver {
  check: string;
  model?: string;
  version?: number;
  reason: string;
  /** YYYY-MM-DD or ISO timestamp; a date expires at the end of that day (UTC). */
  expires: string;
  approvedBy?: string;
}

export interface PolicyDoc {
  apiVersion: 'modelgate/v1';
  kind: 'Policy';
  name: string;
  extends?: string[];
  models?: string[];
  rules?: Partial<Record<Target, StageRules>>;
  retention?: { archivedDays?: number };
  enforcement?: { default?: Level; overrides?: Record<string, Level> };
  waivers?: Waiver[];
}

/** A policy file after `extends` are merged; `file` is where it came from (repo-relative). */
export interface LoadedPolicy {
  file: string;
  doc: PolicyDoc;
  /** Files (this one and presets) that make it up, for the audit digest. */
  sources: string[];
}

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'waived' | 'skipped';

export interface CheckResult {
  id: string;
  status: CheckStatus;
  level: Level;
  message: string;
  actual?: unknown;
  expected?: unknown;
  /** The policy file the check came from (repo-relative, or `preset:recommended`). */
  policy?: string;
  /**
   * Set when a waiver applied (status `waived`), was found expired (`expired`), or matched a
   * check that did not fail (`unused`: reported, not counted).
   */
  waiver?: { reason: string; expires: string; approvedBy?: string; expired?: boolean; unused?: boolean };
  /** Baseline used by relative checks. */
  baseline?: { version: number; value: number };
}
