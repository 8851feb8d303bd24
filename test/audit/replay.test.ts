import { describe, expect, it } from 'vitest';
import { compareWithManifest, Replayer, type ReplayState } from '../../src/audit/replay';
import type { Manifest, Stage } from '../../src/manifest/types';
import { chain, fields, type Fields } from './fixtures';

function replay(list: Fields[]): ReplayState {
  const r = new Replayer();
  for (const rec of chain(list)) r.apply(rec);
  return r.state;
}

const manifest = (versions: [number, Stage][], aliases: Record<string, number> = {}): Manifest => ({
  name: 'churn-predictor',
  versions: versions.map(([version, stage]) => ({ version, stage, run: `runs/${version}.json` })),
  aliases,
});

const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T10:00:00.000Z`;

const register = (version: number, day: number): Fields => fields({ action: 'register', version, from: null, to: 'None', time: at(day) });
const move = (action: Fields['action'], version: number, from: Stage, to: Stage, day: number, extra: Partial<Fields> = {}): Fields =>
  fields({ action, version, from, to, time: at(day), ...extra });
const alias = (name: string, version: number, day: number, extra: Partial<Fields> = {}): Fields =>
  fields({ action: 'alias', version, from: null, to: `@${name}`, time: at(day), checks: [], ...extra });

/** v1 and v2 go to Production in turn (v1 displaced), then a rollback puts v1 back. */
const history: Fields[] = [
  register(1, 1),
  move('promote', 1, 'None', 'Staging', 2),
  move('promote', 1, 'Staging', 'Production', 3),
  register(2, 4),
  move('promote', 2, 'None', 'Staging', 5),
  move('promote', 2, 'Staging', 'Production', 6, { displaced: 1 }),
  move('archive', 1, 'Production', 'Archived', 6),
  move('rollback', 1, 'Archived', 'Production', 7, { displaced: 2 }),
  move('rollback', 2, 'Production', 'Archived', 7),
];

describe('Replayer', () => {
  it('follows a promotion that displaces the champion, then a rollback', () => {
    const s = replay(history);
    expect([...s.stages]).toEqual([
      [1, 'Production'],
      [2, 'Archived'],
    ]);
    expect(s.productionHistory).toEqual([1, 2, 1]);
    expect(s.enteredAt.get(1)).toEqual({ stage: 'Production', time: at(7), seq: 8 });
    expect(s.enteredAt.get(2)).toEqual({ stage: 'Archived', time: at(7), seq: 9 });
    expect([...s.versionsWithRecords]).toEqual([1, 2]);
  });

  it('keeps the time a version entered its stage when a later record repeats the stage', () => {
    const s = replay([register(1, 1), move('promote', 1, 'None', 'Staging', 2), move('promote', 1, 'Staging', 'Staging', 9)]);
    expect(s.enteredAt.get(1)).toEqual({ stage: 'Staging', time: at(2), seq: 2 });
  });

  it('sets, moves and removes aliases, keeping each alias history', () => {
    const s = replay([...history, alias('champion', 2, 8), alias('champion', 1, 9, { displaced: 2 }), alias('shadow', 2, 9), alias('shadow', 2, 10, { removed: true })]);
    expect(Object.fromEntries(s.aliases)).toEqual({ champion: 1 });
    expect(Object.fromEntries(s.aliasHistory)).toEqual({ champion: [2, 1], shadow: [2] });
    // Alias records do not change stages.
    expect(s.stages.get(2)).toBe('Archived');
  });

  it('knows an alias whose only record removed it (an alias set before adoption)', () => {
    const s = replay([alias('legacy', 4, 1, { removed: true })]);
    expect(s.aliases.size).toBe(0);
    expect(s.aliasHistory.get('legacy')).toEqual([]);
  });
});

describe('compareWithManifest', () => {
  it('finds nothing when the manifest is what the log says', () => {
    const s = replay([...history, alias('champion', 1, 9)]);
    expect(compareWithManifest(s, manifest([[1, 'Production'], [2, 'Archived']], { champion: 1 }))).toEqual([]);
  });

  it('names a version whose manifest stage is not its last record', () => {
    const s = replay(history);
    expect(compareWithManifest(s, manifest([[1, 'Archived'], [2, 'Production']]))).toEqual([
      'v1 is Archived in the manifest but its last record says Production',
      'v2 is Production in the manifest but its last record says Archived',
    ]);
  });

  it('accepts the removal of a version the log archived (retention), not of any other', () => {
    const s = replay(history);
    expect(compareWithManifest(s, manifest([[1, 'Production']]))).toEqual([]);
    expect(compareWithManifest(s, manifest([[2, 'Archived']]))).toEqual([
      'v1 is not in the manifest but its last record says Production (only Archived versions may be removed)',
    ]);
  });

  it('judges versions without records by their stage at adoption (genesis)', () => {
    const genesis = manifest([[1, 'Archived'], [2, 'Production'], [3, 'Staging']]);
    // After adoption only v3 moved, with its record; v1 and v2 have none.
    const s = replay([move('promote', 3, 'Staging', 'Production', 10, { displaced: 2 }), move('archive', 2, 'Production', 'Archived', 10)]);
    expect(compareWithManifest(s, manifest([[1, 'Archived'], [2, 'Archived'], [3, 'Production']]), genesis)).toEqual([]);
    expect(compareWithManifest(s, manifest([[1, 'Staging'], [2, 'Archived'], [3, 'Production']]), genesis)).toEqual([
      'v1 is Staging in the manifest but has no record; it was Archived when the audit log was adopted',
    ]);
  });

  it('expects a version added after adoption without records to sit at None', () => {
    const genesis = manifest([[1, 'Production']]);
    const s = replay([]);
    expect(compareWithManifest(s, manifest([[1, 'Production'], [2, 'None']]), genesis)).toEqual([]);
    expect(compareWithManifest(s, manifest([[1, 'Production'], [2, 'Staging']]), genesis)).toEqual([
      'v2 is Staging in the manifest but has no record (not even its registration)',
    ]);
    expect(compareWithManifest(s, manifest([]), genesis)).toEqual(['v1 was removed from the manifest while Production, without a record']);
  });

  it('does not judge versions or aliases without records when the genesis state is unknown', () => {
    expect(compareWithManifest(replay([]), manifest([[1, 'Production']], { champion: 1 }))).toEqual([]);
  });

  it('names alias mismatches', () => {
    const s = replay([...history, alias('champion', 1, 9), alias('shadow', 2, 9), alias('old', 2, 9), alias('old', 2, 10, { removed: true })]);
    expect(compareWithManifest(s, manifest([[1, 'Production'], [2, 'Archived']], { champion: 2, old: 2 }))).toEqual([
      'alias @champion points to v2 in the manifest but its last record says v1',
      'alias @old points to v2 in the manifest but its last record removed it',
      'alias @shadow is not in the manifest but its last record points it to v2',
    ]);
  });

  it('judges aliases without records by genesis', () => {
    const genesis = manifest([[1, 'Production']], { champion: 1, legacy: 1 });
    const now = manifest([[1, 'Production']], { champion: 1, fresh: 1 });
    expect(compareWithManifest(replay([]), now, genesis)).toEqual([
      'alias @fresh points to v1 in the manifest but has no record',
      'alias @legacy (v1 at adoption) was removed from the manifest without a record',
    ]);
  });
});
