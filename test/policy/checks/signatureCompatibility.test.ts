import { describe, expect, it } from 'vitest';
import { compareInputs } from '../../../src/policy/checks/signatureCompatibility';
import type { Spec } from '../../../src/runs/types';
import { columns } from './fixtures';

const tensor = (dtype: string, shape: number[], name?: string): Spec => ({ kind: 'tensor', dtype, shape, ...(name ? { name } : {}) });
const changes = (before: Spec[], after: Spec[]) => compareInputs(before, after).breaking.map((b) => `${b.input}: ${b.change}`);

describe('compareInputs (columns)', () => {
  it('accepts an identical schema', () => {
    const s = columns(['age', 'long'], ['plan', 'string']);
    expect(compareInputs(s, s)).toEqual({ compatible: true, breaking: [], added: [] });
  });

  it('accepts the widenings int→long, int→double, long→double, float→double', () => {
    for (const [from, to] of [['integer', 'long'], ['integer', 'double'], ['long', 'double'], ['float', 'double']] as const) {
      expect(compareInputs(columns(['x', from]), columns(['x', to])).compatible, `${from}→${to}`).toBe(true);
    }
  });

  it('rejects narrowing and unrelated type changes', () => {
    expect(changes(columns(['x', 'long']), columns(['x', 'integer']))).toEqual(['x: type']);
    expect(changes(columns(['x', 'double']), columns(['x', 'float']))).toEqual(['x: type']);
    expect(changes(columns(['x', 'double']), columns(['x', 'long']))).toEqual(['x: type']);
    expect(changes(columns(['x', 'string']), columns(['x', 'binary']))).toEqual(['x: type']);
    expect(compareInputs(columns(['x', 'long']), columns(['x', 'integer'])).breaking[0]!.detail).toBe('type changed long → integer');
  });

  it('rejects a removed input, matched by name whatever the order', () => {
    const before = columns(['age', 'long'], ['plan', 'string']);
    expect(changes(before, columns(['plan', 'string']))).toEqual(['age: removed']);
    expect(compareInputs(before, columns(['plan', 'string'], ['age', 'long'])).compatible).toBe(true);
  });

  it('rejects a new required input, accepts a new optional one', () => {
    const before = columns(['age', 'long']);
    expect(changes(before, columns(['age', 'long'], ['tenure', 'double', true]))).toEqual(['tenure: new-required']);
    expect(compareInputs(before, columns(['age', 'long'], ['tenure', 'double', false]))).toEqual({ compatible: true, breaking: [], added: ['tenure'] });
  });

  it('rejects an optional input becoming required, accepts the reverse', () => {
    expect(changes(columns(['age', 'long', false]), columns(['age', 'long', true]))).toEqual(['age: became-required']);
    expect(compareInputs(columns(['age', 'long', true]), columns(['age', 'long', false])).compatible).toBe(true);
  });

  it('compares unnamed columns by position', () => {
    const before = columns([undefined, 'long'], [undefined, 'string']);
    expect(compareInputs(before, columns([undefined, 'double'], [undefined, 'string'])).compatible).toBe(true);
    expect(changes(before, columns([undefined, 'string'], [undefined, 'long']))).toEqual(['#1: type', '#2: type']);
    expect(changes(before, columns([undefined, 'long']))).toEqual(['#2: removed']);
  });

  it('compares nested types, widening inside arrays', () => {
    const arr = (items: string): Spec[] => [{ kind: 'column', name: 'x', type: { type: 'array', items }, required: true }];
    expect(compareInputs(arr('integer'), arr('long')).compatible).toBe(true);
    expect(changes(arr('long'), arr('integer'))).toEqual(['x: type']);
    const obj = (props: Record<string, { type: string; required: boolean }>): Spec[] => [{ kind: 'column', name: 'o', type: { type: 'object', properties: props }, required: true }];
    expect(changes(obj({ a: { type: 'long', required: true } }), obj({}))).toEqual(['o: type']);
    expect(compareInputs(obj({ a: { type: 'long', required: true } }), obj({ a: { type: 'long', required: true }, b: { type: 'string', required: false } })).compatible).toBe(true);
  });
});

describe('compareInputs (tensors)', () => {
  it('needs the same dtype', () => {
    expect(changes([tensor('float32', [-1, 4])], [tensor('float64', [-1, 4])])).toEqual(['#1: dtype']);
    expect(compareInputs([tensor('float32', [-1, 4])], [tensor('float32', [-1, 4])]).compatible).toBe(true);
  });

  it('needs shapes of the same rank whose dimensions agree, -1 matching any size', () => {
    expect(compareInputs([tensor('float32', [-1, 4])], [tensor('float32', [32, 4])]).compatible).toBe(true);
    expect(compareInputs([tensor('float32', [32, 4])], [tensor('float32', [-1, 4])]).compatible).toBe(true);
    expect(changes([tensor('float32', [-1, 4])], [tensor('float32', [-1, 5])])).toEqual(['#1: shape']);
    expect(changes([tensor('float32', [-1, 4])], [tensor('float32', [-1, 4, 1])])).toEqual(['#1: shape']);
  });

  it('treats a column that became a tensor as breaking', () => {
    expect(changes(columns(['x', 'double']), [tensor('float64', [-1], 'x')])).toEqual(['x: kind']);
  });

  it('treats a new tensor input as required', () => {
    expect(changes([tensor('float32', [-1], 'a')], [tensor('float32', [-1], 'a'), tensor('float32', [-1], 'b')])).toEqual(['b: new-required']);
  });
});
