// Types of synthetic.mjs for the tests (test/bench) that import it.
export interface Domain {
  name: string;
  kind: string;
  team: string;
  riskTier: string;
  auc: number;
  latency: number;
  use: string;
}
export interface LifeEvent {
  version: number;
  action: string;
  from: string | null;
  to: string;
  displaced?: number;
  inPr: boolean;
  time?: number;
}
export interface PlannedVersion {
  version: number;
  runId: string;
  runPath: string;
  final: Record<'val_auc' | 'val_logloss' | 'train_auc' | 'latency_p99_ms', number>;
}
export interface ModelPlan {
  index: number;
  name: string;
  domain: Domain;
  experiment: string;
  events: LifeEvent[];
  versions: PlannedVersion[];
}
export interface PlanParams {
  versions: number;
  records: number;
  changed: number[];
}
export const DOMAINS: Domain[];
export const METRICS: string[];
export const CONFIG_YAML: string;
export const PR_TIME: number;
export const PRE_ADOPTION_COMMITS: number;
export function domainOf(i: number): Domain;
export function modelName(i: number): string;
export function policyYaml(d: Domain): string;
export function lifeEvents(o: { versions: number; records: number; promoteInPr: boolean }): LifeEvent[];
export function stateAfter(versions: number, events: LifeEvent[]): { stages: Map<number, string>; aliases: Map<string, number> };
export function modelPlan(seed: string, i: number, p: PlanParams): ModelPlan;
export function runFiles(plan: ModelPlan, v: PlannedVersion, points: number): { files: [string, string | Buffer][]; digest: string };
export function experimentMeta(plan: ModelPlan): [string, string];
export function manifestYaml(plan: ModelPlan, digests: string[], events: LifeEvent[]): string;
export function auditLines(plan: ModelPlan, digests: string[], events: LifeEvent[], sourceCommits: string[], policyDigest: string): Generator<string>;
