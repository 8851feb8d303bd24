/** What every rule family is handed to judge one policy's rules for one transition. */
import type { ModelVersion } from '../../manifest/types';
import type { Transition } from '../../transitions/types';
import type { ApprovalSource } from '../context';
import type { LoadedPolicy, StageRules, Target } from '../types';
import type { Sources } from './sources';

/** Metric values the policies judged, for the audit record and the champion table. */
export class Evidence {
  readonly metrics: Record<string, number> = {};
  private baselineVersion: number | undefined;
  private readonly baselineMetrics: Record<string, number> = {};

  metric(name: string, value: number): void {
    if (!(name in this.metrics)) this.metrics[name] = value;
  }

  /** Only one baseline version is kept (the first judged against); others are in the checks. */
  baseline(version: number, name: string, value: number): void {
    if (this.baselineVersion === undefined) this.baselineVersion = version;
    if (this.baselineVersion !== version) return;
    if (!(name in this.baselineMetrics)) this.baselineMetrics[name] = value;
  }

  toResult(): { metrics: Record<string, number>; baseline?: { version: number; metrics: Record<string, number> } } | undefined {
    const hasMetrics = Object.keys(this.metrics).length > 0;
    if (!hasMetrics && this.baselineVersion === undefined) return undefined;
    return {
      metrics: { ...this.metrics },
      ...(this.baselineVersion !== undefined ? { baseline: { version: this.baselineVersion, metrics: { ...this.baselineMetrics } } } : {}),
    };
  }
}

export interface RuleInput {
  transition: Transition;
  /** The rule target (`to` of the transition; never null here). */
  target: Target;
  policy: LoadedPolicy;
  rules: StageRules;
  /** The manifest entry of the version judged (head, or base for a removed version). */
  subject: ModelVersion | undefined;
  sources: Sources;
  evidence: Evidence;
  approvals: ApprovalSource;
  now: Date;
}

/** `v3`, for messages. */
export function v(version: number): string {
  return `v${version}`;
}
