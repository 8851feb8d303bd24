/**
 * Replays an audit log into the registry state it describes, record by record (so it runs in
 * the same streaming pass as chain verification), and compares that state with a manifest
 * (SPEC section 7, "State").
 */
import { STAGES, type Manifest, type Stage } from '../manifest/types';
import type { AuditRecord } from './types';

export interface ReplayState {
  /** Stage per version, from its latest stage record (register/promote/archive/rollback). */
  stages: Map<number, Stage>;
  /** alias (without `@`) -> version, from alias records; removed aliases are absent. */
  aliases: Map<string, number>;
  /** When each version entered the stage it is in now (unchanged by records repeating the stage), and by which record. */
  enteredAt: Map<number, { stage: Stage; time: string; seq: number }>;
  /**
   * Versions in the order they entered Production (repeats kept: v2, v3, v2 after a rollback).
   * A record's `displaced` version counts as the holder before it, so a log adopted after
   * v2 went to Production still knows v2 held it before v3 (what rollback needs).
   */
  productionHistory: number[];
  /**
   * Per alias (without `@`): versions in the order they were assigned it. Every alias that has
   * any record has a key, even one whose only record removed it (history `[]`).
   */
  aliasHistory: Map<string, number[]>;
  /** Versions named by any record, stage or alias. */
  versionsWithRecords: Set<number>;
}

const STAGE_SET = new Set<string>(STAGES);

/** Appends the record's version, preceded by the version it displaced when history lacks it. */
function pushWithDisplaced(history: number[], r: AuditRecord): void {
  if (r.displaced !== undefined && r.displaced !== r.version && history[history.length - 1] !== r.displaced) history.push(r.displaced);
  history.push(r.version);
}

function isStage(to: string): to is Stage {
  return STAGE_SET.has(to);
}

export class Replayer {
  readonly state: ReplayState = {
    stages: new Map(),
    aliases: new Map(),
    enteredAt: new Map(),
    productionHistory: [],
    aliasHistory: new Map(),
    versionsWithRecords: new Set(),
  };

  apply(r: AuditRecord): void {
    const s = this.state;
    s.versionsWithRecords.add(r.version);
    if (r.to.startsWith('@')) return this.applyAlias(r.to.slice(1), r);
    if (!isStage(r.to)) return; // not a record shape modelgate writes; verification reports it
    if (s.stages.get(r.version) !== r.to) {
      s.enteredAt.set(r.version, { stage: r.to, time: r.time, seq: r.seq });
      if (r.to === 'Production') pushWithDisplaced(s.productionHistory, r);
    }
    s.stages.set(r.version, r.to);
  }

  private applyAlias(name: string, r: AuditRecord): void {
    const s = this.state;
    const history = s.aliasHistory.get(name) ?? [];
    s.aliasHistory.set(name, history);
    if (r.removed) {
      s.aliases.delete(name);
      return;
    }
    if (s.aliases.get(name) !== r.version) pushWithDisplaced(history, r);
    s.aliases.set(name, r.version);
  }
}

/**
 * What differs between the replayed log and the manifest, as messages naming the version or
 * alias. `genesis` is the manifest as it stood before the log was adopted; when it is unknown
 * (the log is not committed yet), versions and aliases without records are not judged.
 *
 * Decisions: a version the log shows Archived may be gone from the manifest (retention removes
 * archived versions); a version without records that is not in `genesis` must be at `None`
 * (registering at None needs no record; anything else does).
 */
export function compareWithManifest(replay: ReplayState, manifest: Manifest, genesis?: Manifest): string[] {
  return [...compareStages(replay, manifest, genesis), ...compareAliases(replay, manifest, genesis)];
}

function compareStages(replay: ReplayState, manifest: Manifest, genesis: Manifest | undefined): string[] {
  const out: string[] = [];
  const now = new Map(manifest.versions.map((v) => [v.version, v.stage]));
  for (const [version, stage] of [...replay.stages].sort((a, b) => a[0] - b[0])) {
    const actual = now.get(version);
    if (actual === undefined) {
      if (stage !== 'Archived') out.push(`v${version} is not in the manifest but its last record says ${stage} (only Archived versions may be removed)`);
    } else if (actual !== stage) {
      out.push(`v${version} is ${actual} in the manifest but its last record says ${stage}`);
    }
  }
  if (!genesis) return out;
  const before = new Map(genesis.versions.map((v) => [v.version, v.stage]));
  for (const v of manifest.versions) {
    if (replay.stages.has(v.version)) continue;
    const expected = before.get(v.version) ?? 'None';
    if (v.stage === expected) continue;
    out.push(
      before.has(v.version)
        ? `v${v.version} is ${v.stage} in the manifest but has no record; it was ${expected} when the audit log was adopted`
        : `v${v.version} is ${v.stage} in the manifest but has no record (not even its registration)`,
    );
  }
  for (const [version, stage] of before) {
    if (!now.has(version) && !replay.stages.has(version) && stage !== 'Archived') {
      out.push(`v${version} was removed from the manifest while ${stage}, without a record`);
    }
  }
  return out;
}

function compareAliases(replay: ReplayState, manifest: Manifest, genesis: Manifest | undefined): string[] {
  const out: string[] = [];
  const names = new Set([...Object.keys(manifest.aliases), ...replay.aliasHistory.keys()]);
  for (const name of [...names].sort()) {
    const actual = manifest.aliases[name];
    if (replay.aliasHistory.has(name)) {
      const recorded = replay.aliases.get(name);
      if (actual === recorded) continue;
      if (recorded === undefined) out.push(`alias @${name} points to v${actual} in the manifest but its last record removed it`);
      else if (actual === undefined) out.push(`alias @${name} is not in the manifest but its last record points it to v${recorded}`);
      else out.push(`alias @${name} points to v${actual} in the manifest but its last record says v${recorded}`);
      continue;
    }
    if (!genesis) continue;
    const expected = genesis.aliases[name];
    if (actual === expected) continue;
    out.push(
      expected === undefined
        ? `alias @${name} points to v${actual} in the manifest but has no record`
        : `alias @${name} points to v${actual} in the manifest but has no record; it pointed to v${expected} when the audit log was adopted`,
    );
  }
  // Genesis aliases gone from the manifest without a record.
  for (const [name, version] of Object.entries(genesis?.aliases ?? {})) {
    if (!(name in manifest.aliases) && !replay.aliasHistory.has(name)) out.push(`alias @${name} (v${version} at adoption) was removed from the manifest without a record`);
  }
  return out;
}
