/**
 * The sync report: the server's own values (tags someone set by hand) are user text in every
 * format: no control character, workflow command, mention or markup gets through; JSON keeps
 * the values exactly.
 */
import { describe, expect, it } from 'vitest';
import { renderSync, type SyncOutcome } from '../../src/report/sync';
import { describeAction, type SyncAction } from '../../src/mlflow/syncPlan';

const hostile = 'Production\n::error::forged @octocat <img src=x> ##[warning]x \u202e';
const action: SyncAction = { kind: 'set-tag', model: 'churn', name: 'churn', version: 2, mlflowVersion: '5', key: 'modelgate.stage', value: 'None', was: hostile };
const outcome: SyncOutcome = {
  trackingUri: 'https://mlflow.example',
  dryRun: true,
  models: [{ model: 'churn', registeredModel: 'churn', actions: [{ kind: action.kind, status: 'pending', description: describeAction(action), was: hostile }], notes: [`v3 is not synced: its run ${hostile} is not an MLflow snapshot`] }],
};

describe('sync report', () => {
  it('text: one line per difference, control characters escaped, no workflow command', () => {
    const out = renderSync(outcome, 'text', { color: false });
    expect(out).toContain('differs  set modelgate.stage=None on churn v2 (MLflow version 5), was Production\\n::error::forged');
    expect(out).toContain('dry run: 1 difference; nothing was written');
    for (const line of out.split(/\r\n|\r|\n/)) expect(line).not.toMatch(/^\s*::/);
    expect(out).not.toContain('##[');
    expect(out).not.toContain('\u202e');
  });

  it('markdown: escaped (no mention, no tag, no command)', () => {
    const out = renderSync(outcome, 'markdown', { color: false });
    expect(out).not.toContain('<img');
    expect(out).not.toContain('@octocat');
    expect(out).not.toMatch(/^\s*::/m);
    expect(out).toContain('### modelgate sync mlflow (dry run)');
  });

  it('json: stable keys, values exact, one line', () => {
    const text = renderSync(outcome, 'json', { color: false });
    expect(text).not.toContain('\n');
    const j = JSON.parse(text) as Record<string, unknown> & { models: { actions: { was: string }[] }[] };
    expect(Object.keys(j)).toEqual(['schemaVersion', 'trackingUri', 'dryRun', 'inSync', 'summary', 'models', 'error']);
    expect(j).toMatchObject({ schemaVersion: 1, dryRun: true, inSync: false, summary: { differences: 1, done: 0, notDone: 0 }, error: null });
    expect(j.models[0]!.actions[0]!.was).toBe(hostile);
  });

  it('a sync with nothing to do says so; a stopped one says how far it got', () => {
    expect(renderSync({ ...outcome, dryRun: false, models: [{ model: 'churn', registeredModel: 'churn', actions: [], notes: [] }] }, 'text', { color: false })).toBe('churn\n  in step with git\nMLflow already matches git: nothing written');
    const stopped: SyncOutcome = { ...outcome, dryRun: false, error: 'HTTP 503', models: [{ ...outcome.models[0]!, actions: [{ ...outcome.models[0]!.actions[0]!, status: 'not-done' }] }] };
    expect(renderSync(stopped, 'text', { color: false })).toMatch(/not done set modelgate\.stage.*\n.*\nstopped part-way: 0 done, 1 not done; re-run sync to complete it$/);
  });
});
