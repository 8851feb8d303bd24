/** Policy documents (SPEC section 4) and the one result shape every output renders. */
import type { Stage } from '../manifest/types';
import type { Transition } from '../transitions/types';

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

/** A transition with its verdicts: what the engine returns and every output format renders. */
export interface TransitionResult extends Transition {
  decision: 'allow' | 'deny';
  checks: CheckResult[];
  /** Manifest file and line, for annotations. */
  file?: string;
  line?: number;
  /** Where the version came from, for the report's lineage graph. */
  lineage?: {
    run: string;
    runId?: string;
    dataVersion?: string;
    gitCommit?: string;
    artifact?: string;
    digest?: string;
  };
  /** Metric evidence for the audit record and the champion-vs-challenger table. */
  evidence?: {
    metrics: Record<string, number>;
    baseline?: { version: number; metrics: Record<string, number> };
  };
}

export interface CheckReport {
  schemaVersion: 1;
  decision: 'allow' | 'deny';
  summary: { transitions: number; allowed: number; denied: number; warnings: number };
  transitions: TransitionResult[];
  /** Checks not tied to one transition (e.g. `policy.unchanged`). */
  checks?: CheckResult[];
}
