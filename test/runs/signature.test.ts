import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mlmodelSignature } from '../../src/runs/mlflow/mlmodel';
import { parseMlflowSignature, parseSignature, signatureState } from '../../src/runs/signature';
import type { SignatureState } from '../../src/runs/types';
import { MemorySource, SAMPLES } from './sources';

const MLMODELS = join(SAMPLES, 'mlflow/mlmodel');

async function sample(name: string): Promise<SignatureState | undefined> {
  const source = new MemorySource({ 'model/MLmodel': readFileSync(join(MLMODELS, name), 'utf8') });
  return mlmodelSignature(source, 'model');
}

function found(s: SignatureState | undefined) {
  if (s?.state !== 'found') throw new Error(`expected a signature, got ${JSON.stringify(s)}`);
  return s.signature;
}

describe('MLmodel samples', () => {
  it('covers every sample file', () => {
    expect(readdirSync(MLMODELS).sort()).toEqual([
      'mleap_minimal_2018_no-version-no-uuid.MLmodel',
      'mlflow-1.25.0_mleap_column-signature_with-metadata.MLmodel',
      'mlflow-1.30.1_sklearn_no-signature.MLmodel',
      'mlflow-2.12.2_langchain_array-object-signature_params-null.MLmodel',
      'mlflow-2.3.2_pyfunc_unnamed-string-signature_dataframe-example.MLmodel',
      'mlflow-2.3.2_sklearn_column-inputs_tensor-outputs.MLmodel',
      'mlflow-3.1.1_sklearn_tensor-signature_logged-model-id.MLmodel',
    ]);
  });

  it('minimal 2018 file and 1.30.1 legacy file: no signature → absent', async () => {
    expect(await sample('mleap_minimal_2018_no-version-no-uuid.MLmodel')).toEqual({ state: 'absent', source: 'model/MLmodel' });
    expect(await sample('mlflow-1.30.1_sklearn_no-signature.MLmodel')).toEqual({ state: 'absent', source: 'model/MLmodel' });
  });

  it('1.25.0: named columns with spaces folded over YAML lines, and a null-named output', async () => {
    const sig = found(await sample('mlflow-1.25.0_mleap_column-signature_with-metadata.MLmodel'));
    expect(sig.inputs?.map((s) => s.name)).toEqual([
      'fixed acidity',
      'volatile acidity',
      'citric acid',
      'residual sugar',
      'chlorides',
      'free sulfur dioxide',
      'total sulfur dioxide',
      'density',
      'pH',
      'sulphates',
      'alcohol',
    ]);
    expect(sig.inputs?.every((s) => s.kind === 'column' && s.type === 'double' && s.required)).toBe(true);
    expect(sig.outputs).toEqual([{ kind: 'column', type: 'double', required: true }]);
    expect(sig.params).toBeNull();
  });

  it('2.12.2: array of objects with required properties, params: null', async () => {
    const sig = found(await sample('mlflow-2.12.2_langchain_array-object-signature_params-null.MLmodel'));
    expect(sig.inputs).toEqual([
      {
        kind: 'column',
        name: 'messages',
        required: true,
        type: {
          type: 'array',
          items: {
            type: 'object',
            properties: { content: { type: 'string', required: true }, role: { type: 'string', required: true } },
          },
        },
      },
    ]);
    expect(sig.outputs).toEqual([{ kind: 'column', type: 'string', required: true }]);
    expect(sig.params).toBeNull();
  });

  it('2.3.2 pyfunc: unnamed string columns', async () => {
    const sig = found(await sample('mlflow-2.3.2_pyfunc_unnamed-string-signature_dataframe-example.MLmodel'));
    expect(sig).toEqual({
      inputs: [{ kind: 'column', type: 'string', required: true }],
      outputs: [{ kind: 'column', type: 'string', required: true }],
      params: null,
    });
  });

  it('2.3.2 sklearn: column inputs with tensor outputs', async () => {
    const sig = found(await sample('mlflow-2.3.2_sklearn_column-inputs_tensor-outputs.MLmodel'));
    expect(sig.inputs).toEqual(
      ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'].map((name) => ({ kind: 'column', name, type: 'double', required: true })),
    );
    expect(sig.outputs).toEqual([{ kind: 'tensor', dtype: 'int64', shape: [-1] }]);
  });

  it('3.1.1: tensor inputs and outputs, params: null', async () => {
    const sig = found(await sample('mlflow-3.1.1_sklearn_tensor-signature_logged-model-id.MLmodel'));
    expect(sig).toEqual({
      inputs: [{ kind: 'tensor', dtype: 'float64', shape: [-1, 4] }],
      outputs: [{ kind: 'tensor', dtype: 'float64', shape: [-1] }],
      params: null,
    });
  });
});

describe('signature parsing', () => {
  it('reads legacy optional, missing required, map types and a params schema', () => {
    const sig = parseMlflowSignature({
      inputs: JSON.stringify([
        { name: 'a', type: 'long', optional: true },
        { name: 'b', type: 'double', optional: false },
        { name: 'c', type: 'map', values: { type: 'array', items: { type: 'string' } } },
        { name: 'd', type: 'object', properties: { x: { type: 'float', required: false }, y: { type: 'integer' } } },
      ]),
      outputs: null,
      params: JSON.stringify([
        { name: 'temperature', type: 'double', default: 0.5, shape: null },
        { name: 'stop', type: 'string', default: ['a'], shape: [-1] },
      ]),
    });
    expect(sig.inputs).toEqual([
      { kind: 'column', name: 'a', type: 'long', required: false },
      { kind: 'column', name: 'b', type: 'double', required: true },
      { kind: 'column', name: 'c', type: { type: 'map', values: { type: 'array', items: 'string' } }, required: true },
      { kind: 'column', name: 'd', type: { type: 'object', properties: { x: { type: 'float', required: false }, y: { type: 'integer', required: true } } }, required: true },
    ]);
    expect(sig.outputs).toBeNull();
    expect(sig.params).toEqual([
      { name: 'temperature', type: 'double', default: 0.5, shape: null },
      { name: 'stop', type: 'string', default: ['a'], shape: [-1] },
    ]);
  });

  it('reads portable signatures given as lists', () => {
    expect(parseSignature({ inputs: [{ type: 'double', name: 'monthly_hours_watched', required: true }], outputs: [{ type: 'long' }] })).toEqual({
      inputs: [{ kind: 'column', name: 'monthly_hours_watched', type: 'double', required: true }],
      outputs: [{ kind: 'column', type: 'long', required: true }],
      params: null,
    });
  });

  it.each([
    ['unparsable JSON', { inputs: '[{"type": "double"' }, /inputs: is not valid JSON/],
    ['not a list', { inputs: '{"type": "double"}' }, /inputs: must be a JSON list/],
    ['a spec without type', { inputs: '[{"name": "a"}]' }, /inputs\[0\]\.type: is missing/],
    ['a tensor without shape', { inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32"}}]' }, /tensor-spec\.shape/],
    ['mixed column and tensor specs', { inputs: '[{"type": "double"}, {"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1]}}]' }, /mixes column specs and tensor specs/],
    ['mixed named and unnamed', { inputs: '[{"type": "double", "name": "a"}, {"type": "double"}]' }, /mixes named and unnamed/],
    ['a non-boolean required', { inputs: '[{"type": "double", "required": "yes"}]' }, /required: must be true or false/],
    ['a param without type', { inputs: null, params: '[{"name": "t"}]' }, /params\[0\]\.type/],
  ])('%s → invalid, never a throw', (_label, raw, message) => {
    const state = signatureState('MLmodel', () => parseMlflowSignature(raw));
    expect(state.state).toBe('invalid');
    expect(state.state === 'invalid' && state.error).toMatch(message);
  });

  it('an MLmodel that is not YAML → invalid with the file and line', async () => {
    const source = new MemorySource({ 'm/MLmodel': 'flavors:\n  a: [1, 2\nsignature: x\n' });
    const state = await mlmodelSignature(source, 'm');
    expect(state).toMatchObject({ state: 'invalid', source: 'm/MLmodel' });
    expect(state?.state === 'invalid' && state.error).toMatch(/^m\/MLmodel:\d+/);
  });

  it('an MLmodel with unparsable signature JSON → invalid', async () => {
    const source = new MemorySource({ 'm/MLmodel': "signature:\n  inputs: '[{\"type\": '\n  outputs: null\n" });
    expect(await mlmodelSignature(source, 'm')).toMatchObject({ state: 'invalid', source: 'm/MLmodel', error: expect.stringMatching(/inputs: is not valid JSON/) });
  });

  it('no MLmodel in the directory → undefined', async () => {
    expect(await mlmodelSignature(new MemorySource({ 'm/model.pkl': 'x' }), 'm')).toBeUndefined();
  });
});
