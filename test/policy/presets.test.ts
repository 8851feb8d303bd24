import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadPolicy } from '../../src/policy/load';
import { PRESETS, presetNames, presetText } from '../../src/policy/presets';

const onDisk = (name: string) => readFileSync(new URL(`../../policies/${name}.yaml`, import.meta.url), 'utf8');

describe('presets', () => {
  it('ships recommended and strict, bundled verbatim from policies/', () => {
    expect(presetNames()).toEqual(['recommended', 'strict']);
    for (const name of presetNames()) expect(PRESETS[name]).toBe(onDisk(name));
  });

  it('presetText accepts preset:<name> or <name>, and nothing else', () => {
    expect(presetText('preset:strict')).toBe(PRESETS.strict);
    expect(presetText('recommended')).toBe(PRESETS.recommended);
    expect(presetText('preset:nope')).toBeUndefined();
    expect(presetText('toString')).toBeUndefined();
    expect(presetText('policies/recommended.yaml')).toBeUndefined();
  });

  it.each(['recommended', 'strict'])('%s loads and validates, and leaves `models` to the user', (name) => {
    const p = loadPolicy(`preset:${name}`, PRESETS[name]!);
    expect(p.doc.name).toBe(name);
    expect(p.doc.models).toBeUndefined();
    expect(parse(PRESETS[name]!)).not.toHaveProperty('models');
    expect(PRESETS[name]!.split('\n').filter((l) => l.trim().startsWith('#')).length).toBeGreaterThan(10); // documented
  });

  it('recommended: provenance for Staging, a compatible signature for Production, 30 days retention', () => {
    const { doc, sources } = loadPolicy('preset:recommended', PRESETS.recommended!);
    expect(sources).toEqual(['preset:recommended']);
    expect(doc.rules?.Staging).toEqual({
      from: ['None'],
      run: { status: 'FINISHED' },
      tags: { required: ['data_version', 'author', 'purpose'], match: { 'mlflow.source.git.commit': '^[0-9a-f]{40}$' } },
      params: { required: ['random_seed'] },
      signature: { required: true },
    });
    expect(doc.rules?.Production).toEqual({ from: ['Staging'], signature: { required: true, compatibleWith: 'Production' } });
    expect(doc.retention).toEqual({ archivedDays: 30 });
  });

  it('strict: recommended plus champion comparison, one approval, a day of soak, artifact verification', () => {
    const { doc, sources } = loadPolicy('preset:strict', PRESETS.strict!);
    expect(sources).toEqual(['preset:strict', 'preset:recommended']);
    expect(doc.rules?.Staging?.tags?.required).toEqual(['data_version', 'author', 'purpose']);
    expect(doc.rules?.Production).toEqual({
      from: ['Staging'],
      signature: { required: true, compatibleWith: 'Production' },
      minTimeInStage: '24h',
      approvals: { required: 1 },
      artifact: { verify: true },
      metrics: [{ name: 'val_score', baseline: 'Production', maxDecrease: 0.01 }],
    });
    expect(doc.retention).toEqual({ archivedDays: 30 });
  });

  it('the documented ways to adapt a preset work as the comments say', () => {
    // recommended: a different seed param name, the random_seed check downgraded to a warning.
    const seed = loadPolicy(
      'policies/team.yaml',
      'apiVersion: modelgate/v1\nkind: Policy\nname: team\nextends: [recommended]\nrules: { Staging: { params: { required: [random_state] } } }\nenforcement: { overrides: { "param:random_seed.required": warn } }\n',
    );
    expect(seed.doc.rules?.Staging?.params?.required).toEqual(['random_seed', 'random_state']);
    expect(seed.doc.rules?.Staging?.tags?.match).toEqual({ 'mlflow.source.git.commit': '^[0-9a-f]{40}$' });
    expect(seed.doc.enforcement?.overrides).toEqual({ 'param:random_seed.required': 'warn' });
    // strict: the val_score convention replaced by a metric of one's own.
    const metric = loadPolicy(
      'policies/team.yaml',
      'apiVersion: modelgate/v1\nkind: Policy\nname: team\nextends: [strict]\nrules:\n  Production:\n    metrics:\n      - { name: val_score, optional: true }\n      - { name: val_rmse, direction: lower, baseline: Production, maxDecrease: 0.1 }\n',
    );
    expect(metric.doc.rules?.Production?.metrics).toEqual([
      { name: 'val_score', optional: true },
      { name: 'val_rmse', direction: 'lower', baseline: 'Production', maxDecrease: 0.1 },
    ]);
  });
});
