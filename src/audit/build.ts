/**
 * The one builder of audit records (SPEC section 7: "records have one shape whichever command
 * writes them"). Pure: handed the judged transitions, the manifest they lead to and where the
 * decision came from, it returns the record fields; `sealChain` links them to the log.
 */
import type { Manifest } from '../manifest/types';
import type { TransitionResult } from '../policy/types';
import { jsonSafeNumber } from './canonical';
import { sealRecord } from './chain';
import type { AuditAction, AuditRecord } from './types';

export type RecordFields = Omit<AuditRecord, 'seq' | 'prev' | 'hash'>;

export interface RecordContext {
  time: string;
  actor: string;
  model: string;
  /** The manifest after the change (versions removed by it are looked up in `before`). */
  manifest: Manifest;
  before?: Manifest | undefined;
  reason?: string | undefined;
  policy?: { files: string[]; digest: string } | undefined;
  source: NonNullable<AuditRecord['source']>;
}

/** Records of a change's judged transitions (in order), then of the aliases it removed. */
export function changeRecords(
  ctx: RecordContext,
  results: TransitionResult[],
  actionOf: (r: TransitionResult) => AuditAction,
  removed: { alias: string; version: number }[],
): RecordFields[] {
  const out: RecordFields[] = results.map((r) => transitionRecord(ctx, r, actionOf(r), displacedBy(results, r)));
  for (const { alias, version } of removed) {
    out.push({
      time: ctx.time,
      actor: ctx.actor,
      action: 'alias',
      model: ctx.model,
      version,
      from: null,
      to: `@${alias}`,
      removed: true,
      checks: [],
      ...(ctx.policy ? { policy: ctx.policy } : {}),
      ...(ctx.reason ? { reason: ctx.reason } : {}),
      source: ctx.source,
    });
  }
  return out;
}

/** The audit action modelgate writes for a transition outside a rollback. */
export function stageAction(r: { kind: string; to: string | null }): AuditAction {
  return r.kind === 'alias' ? 'alias' : r.kind === 'register' ? 'register' : r.to === 'Archived' ? 'archive' : 'promote';
}

/** Links fields to the log after `prev` (the log's last record, if any). */
export function sealChain(fields: RecordFields[], prev: { seq: number; hash: string } | undefined): AuditRecord[] {
  const out: AuditRecord[] = [];
  for (const f of fields) {
    const rec = sealRecord(f, prev);
    out.push(rec);
    prev = { seq: rec.seq, hash: rec.hash };
  }
  return out;
}

function transitionRecord(ctx: RecordContext, r: TransitionResult, action: AuditAction, displaced: number | undefined): RecordFields {
  const v = ctx.manifest.versions.find((x) => x.version === r.version) ?? ctx.before?.versions.find((x) => x.version === r.version);
  const uri = v?.artifact ?? r.lineage?.artifact;
  return {
    time: ctx.time,
    actor: ctx.actor,
    action,
    model: ctx.model,
    version: r.version,
    from: r.from,
    to: r.to ?? 'None',
    ...(ctx.reason ? { reason: ctx.reason } : {}),
    ...(v ? { run: v.run } : {}),
    ...(uri || v?.digest ? { artifact: { ...(uri ? { uri } : {}), ...(v?.digest ? { digest: v.digest } : {}) } } : {}),
    ...(ctx.policy ? { policy: ctx.policy } : {}),
    checks: r.checks.map((c) => ({ id: c.id, status: c.status, level: c.level })),
    ...(r.evidence || v?.evidence ? { evidence: { ...(r.evidence ? safeEvidence(r.evidence) : { metrics: {} }), ...(v?.evidence ? { digest: v.evidence } : {}) } } : {}),
    ...(displaced !== undefined ? { displaced } : {}),
    ...(ctx.manifest.riskTier ? { riskTier: ctx.manifest.riskTier } : {}),
    ...(ctx.manifest.intendedUse ? { intendedUse: ctx.manifest.intendedUse } : {}),
    source: ctx.source,
  };
}

/** The version that left the target: Production's previous holder, or the alias's previous version. */
function displacedBy(results: TransitionResult[], r: TransitionResult): number | undefined {
  if (r.kind === 'stage' && r.to === 'Production') return results.find((o) => o.from === 'Production' && o.to === 'Archived')?.version;
  if (r.kind === 'alias') return r.previousVersion;
  return undefined;
}

function safeEvidence(e: NonNullable<TransitionResult['evidence']>): NonNullable<AuditRecord['evidence']> {
  const conv = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, jsonSafeNumber(v)]));
  return { metrics: conv(e.metrics), ...(e.baseline ? { baseline: { version: e.baseline.version, metrics: conv(e.baseline.metrics) } } : {}) };
}
