import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors';
import { loadPolicies, loadPolicy } from '../../src/policy/load';
import { inputErrors } from '../manifest/helpers';

const FILE = 'policies/churn.yaml';

/** The policy example of SPEC section 4. */
const SPEC_EXAMPLE = `apiVersion: modelgate/v1
kind: Policy
name: churn
extends: [recommended]         # optional: presets shipped in the project's policies/
models: ["churn-*"]            # globs over model names; default ["*"]
rules:
  Staging:                     # checks applied when a version ENTERS this stage
    from: [None]               # allowed source stages
    run: { status: FINISHED }
    tags:
      required: [data_version, author, purpose]
      match: { "mlflow.source.git.commit": "^[0-9a-f]{40}$" }
    params: { required: [random_seed] }
    signature: { required: true }
    metrics:
      - { name: val_auc, min: 0.85 }
  Production:
    from: [Staging]
    minTimeInStage: 24h        # time since the version entered its current stage
    approvals: { required: 1, from: ["@acme/ml-leads", "alice"] }
    signature: { required: true, compatibleWith: Production }
    artifact: { verify: true } # the artifact exists and matches its digest
    metrics:
      - { name: val_auc, min: 0.88, baseline: Production, maxDecrease: 0.005 }
      - { name: "auc_by_slice/*", min: 0.80 }          # glob: every matching metric
      - { name: latency_p99_ms, max: 10, direction: lower }
  "@champion":                 # rules for assigning an alias, same shape as a stage
    from: [Staging, Production]
retention: { archivedDays: 30 }
enforcement: { default: deny, overrides: { "metric:latency_p99_ms.max": warn } }
waivers:
  - { check: "metric:val_auc.min", model: churn-predictor, version: 7,
      reason: "holiday data gap", expires: 2026-12-31 }
`;

const policy = (body: string, name = 'team') => `apiVersion: modelgate/v1\nkind: Policy\nname: ${name}\n${body}`;

describe('loadPolicy: a valid policy', () => {
  it('loads the example of the spec, merged over the recommended preset', () => {
    const p = loadPolicy(FILE, SPEC_EXAMPLE);
    expect(p.file).toBe(FILE);
    expect(p.sources).toEqual([FILE, 'preset:recommended']);
    expect(p.doc.name).toBe('churn');
    expect(p.doc.models).toEqual(['churn-*']);
    expect(p.doc.rules?.Staging?.tags).toEqual({ required: ['data_version', 'author', 'purpose'], match: { 'mlflow.source.git.commit': '^[0-9a-f]{40}$' } });
    expect(p.doc.rules?.Staging?.params).toEqual({ required: ['random_seed'] });
    expect(p.doc.rules?.Production?.metrics?.map((m) => m.name)).toEqual(['val_auc', 'auc_by_slice/*', 'latency_p99_ms']);
    expect(p.doc.rules?.['@champion']).toEqual({ from: ['Staging', 'Production'] });
    expect(p.doc.retention).toEqual({ archivedDays: 30 });
    expect(p.doc.enforcement).toEqual({ default: 'deny', overrides: { 'metric:latency_p99_ms.max': 'warn' } });
    expect(p.doc.waivers).toEqual([{ check: 'metric:val_auc.min', model: 'churn-predictor', version: 7, reason: 'holiday data gap', expires: '2026-12-31' }]);
  });

  it('accepts a run status list, an ISO timestamp expiry and a policy without rules', () => {
    const p = loadPolicy(
      FILE,
      policy('rules:\n  Staging:\n    run: { status: [FINISHED, KILLED] }\nwaivers:\n  - { check: run.status, reason: r, expires: "2026-12-31T18:00:00Z" }\n'),
    );
    expect(p.doc.rules?.Staging?.run).toEqual({ status: ['FINISHED', 'KILLED'] });
    expect(loadPolicy(FILE, policy('models: ["*"]\n')).sources).toEqual([FILE]);
  });
});

describe('loadPolicy: schema errors name file, line, column and JSON path', () => {
  it.each([
    ['an unknown stage key', 'rules:\n  Prodution:\n    from: [Staging]\n', { line: 5, column: 3, jsonPath: '/rules/Prodution' }, /unknown key 'Prodution'/, "did you mean 'Production'?"],
    ['a stage in the wrong case in from', 'rules:\n  Production:\n    from: [staging]\n', { line: 6, column: 12, jsonPath: '/rules/Production/from/0' }, /not one of/, "did you mean 'Staging'? (exact case)"],
    ['an unknown metric key', 'rules:\n  Staging:\n    metrics:\n      - { name: auc, mni: 0.8 }\n', { line: 7, column: 22, jsonPath: '/rules/Staging/metrics/0/mni' }, /unknown key 'mni'/, "did you mean 'min'?"],
    ['a bad enforcement level', 'enforcement: { default: block }\n', { line: 4, column: 25, jsonPath: '/enforcement/default' }, /not one of deny, warn/, 'use deny or warn'],
    ['a run status in the wrong case', 'rules:\n  Staging:\n    run: { status: finished }\n', { line: 6, column: 20, jsonPath: '/rules/Staging/run/status' }, /not one of/, "did you mean 'FINISHED'? (exact case)"],
    ['a threshold that is not a number', 'rules:\n  Staging:\n    metrics: [{ name: auc, min: high }]\n', { line: 6, column: 33, jsonPath: '/rules/Staging/metrics/0/min' }, /must be a number/, undefined],
    ['a baseline that is not a stage or alias', 'rules:\n  Production:\n    metrics: [{ name: auc, baseline: production, maxDecrease: 0.1 }]\n', { line: 6, column: 38, jsonPath: '/rules/Production/metrics/0/baseline' }, /does not match/, /exact case/],
  ])('%s', (_, body, where, message, hint) => {
    const errs = inputErrors(() => loadPolicy(FILE, policy(body)));
    expect(errs).toHaveLength(1);
    const e = errs[0]!;
    expect(e.exitCode).toBe(2);
    expect(e.location).toEqual({ file: FILE, ...where });
    expect(e.message).toMatch(message);
    if (typeof hint === 'string') expect(e.hint).toBe(hint);
    else if (hint) expect(e.hint).toMatch(hint);
  });

  it('apiVersion, kind and name are required', () => {
    const errs = inputErrors(() => loadPolicy(FILE, 'rules: {}\n'));
    expect(errs.map((e) => e.message).sort()).toEqual(["missing required key 'apiVersion'", "missing required key 'kind'", "missing required key 'name'"]);
  });

  it('an empty file is a clear error', () => {
    const [e] = inputErrors(() => loadPolicy(FILE, '# TODO\n'));
    expect(e!.message).toBe(`empty policy file: ${FILE} has no content`);
  });
});

describe('loadPolicy: semantic checks', () => {
  it('minTimeInStage: 3 days → an error suggesting 3d', () => {
    const [e, ...rest] = inputErrors(() => loadPolicy(FILE, policy('rules:\n  Production:\n    minTimeInStage: 3 days\n')));
    expect(rest).toEqual([]);
    expect(e!.message).toBe("minTimeInStage '3 days' is not a duration");
    expect(e!.location).toEqual({ file: FILE, line: 6, column: 21, jsonPath: '/rules/Production/minTimeInStage' });
    expect(e!.hint).toMatch(/^did you mean '3d'\? write a number and a unit without a space/);
  });

  it.each(['24h', '7d', '90m', '1.5h', '2w', '30s'])('minTimeInStage: %s is a duration', (d) => {
    expect(loadPolicy(FILE, policy(`rules:\n  Production:\n    minTimeInStage: ${d}\n`)).doc.rules?.Production?.minTimeInStage).toBe(d);
  });

  it.each(['soon', '24', '-1h', '24 h'])('minTimeInStage: %s is refused', (d) => {
    const [e] = inputErrors(() => loadPolicy(FILE, policy(`rules:\n  Production:\n    minTimeInStage: "${d}"\n`)));
    expect(e!.location?.jsonPath).toBe('/rules/Production/minTimeInStage');
    expect(e!.hint).toMatch(/90m, 24h, 7d/);
  });

  it('a waiver without expires (or reason) is an error at the waiver', () => {
    const errs = inputErrors(() => loadPolicy(FILE, policy('waivers:\n  - check: metric:val_auc.min\n    model: churn-predictor\n')));
    expect(errs.map((e) => e.message).sort()).toEqual(["missing required key 'expires' in item 1 of 'waivers'", "missing required key 'reason' in item 1 of 'waivers'"]);
    for (const e of errs) {
      expect(e.location).toEqual({ file: FILE, line: 5, column: 5, jsonPath: '/waivers/0' });
      expect(e.hint).toMatch(/every waiver needs check, reason and expires/);
    }
  });

  it.each(['2026-13-01', '2026-02-30', 'next week', '2026-12-31T18:00:00'])('a waiver expiring %s is refused', (when) => {
    const [e] = inputErrors(() => loadPolicy(FILE, policy(`waivers:\n  - { check: run.status, reason: r, expires: "${when}" }\n`)));
    expect(e!.location).toMatchObject({ line: 5, jsonPath: '/waivers/0/expires' });
    expect(e!.hint).toMatch(/YYYY-MM-DD/);
  });

  it('a waiver or override naming no check id, with a did-you-mean', () => {
    const errs = inputErrors(() =>
      loadPolicy(FILE, policy('enforcement:\n  overrides: { "transition.alowed": warn }\nwaivers:\n  - { check: "metric:val_auc.maxdecrease", reason: r, expires: 2026-12-31 }\n')),
    );
    expect(errs.map((e) => [e.location?.jsonPath, e.hint])).toEqual([
      ['/enforcement/overrides/transition.alowed', "did you mean 'transition.allowed'?"],
      ['/waivers/0/check', "did you mean 'metric:val_auc.maxDecrease'?"],
    ]);
    expect(errs[0]!.location).toMatchObject({ line: 5, column: 16 });
  });

  it('an invalid tag pattern', () => {
    const [e] = inputErrors(() => loadPolicy(FILE, policy('rules:\n  Staging:\n    tags: { match: { git: "^[0-9a-f{40}$(" } }\n')));
    expect(e!.message).toMatch(/invalid regular expression for tag 'git'/);
    expect(e!.location).toMatchObject({ line: 6, jsonPath: '/rules/Staging/tags/match/git' });
  });

  it('a relative threshold without a baseline, and min above max', () => {
    const errs = inputErrors(() => loadPolicy(FILE, policy('rules:\n  Production:\n    metrics:\n      - { name: auc, maxDecrease: 0.01 }\n      - { name: loss, min: 2, max: 1 }\n')));
    expect(errs.map((e) => e.location?.jsonPath)).toEqual(['/rules/Production/metrics/0/maxDecrease', '/rules/Production/metrics/1/min']);
    expect(errs[0]!.hint).toMatch(/baseline: Production/);
  });

  it('an alias rule key must be a valid alias', () => {
    const [e] = inputErrors(() => loadPolicy(FILE, policy('rules:\n  "@best model":\n    from: [Staging]\n')));
    expect(e!.message).toBe("'@best model' is not a valid alias");
    expect(e!.location).toMatchObject({ line: 5, column: 3, jsonPath: '/rules/@best model' });
  });

  it('an unknown preset, with a did-you-mean', () => {
    const [e] = inputErrors(() => loadPolicy(FILE, policy('extends: [recomended]\n')));
    expect(e!.message).toBe("unknown preset 'recomended'");
    expect(e!.location).toEqual({ file: FILE, line: 4, column: 11, jsonPath: '/extends/0' });
    expect(e!.hint).toBe("did you mean 'recommended'? presets: recommended, strict");
  });

  it('reports every problem of a file at once', () => {
    const errs = inputErrors(() =>
      loadPolicy(FILE, policy('extends: [nope]\nrules:\n  Staging:\n    Form: [None]\n    minTimeInStage: 1 week\nwaivers:\n  - { check: run.status, reason: r }\n')),
    );
    expect(errs.map((e) => e.location?.jsonPath).sort()).toEqual(['/extends/0', '/rules/Staging/Form', '/rules/Staging/minTimeInStage', '/waivers/0']);
    expect(errs.find((e) => e.location?.jsonPath === '/rules/Staging/Form')?.hint).toBe("did you mean 'from'?");
  });
});

describe('extends: presets merged before the file', () => {
  it("the file's own keys override the preset's, per key", () => {
    const p = loadPolicy(FILE, policy('extends: [recommended]\nrules:\n  Production:\n    from: [Staging, Archived]\n    signature: { required: true, compatibleWith: "@champion" }\nretention: { archivedDays: 90 }\n'));
    expect(p.doc.rules?.Production).toEqual({ from: ['Staging', 'Archived'], signature: { required: true, compatibleWith: '@champion' } });
    expect(p.doc.rules?.Staging?.from).toEqual(['None']); // untouched target comes from the preset
    expect(p.doc.retention).toEqual({ archivedDays: 90 });
  });

  it('joins required tags and params, adds tag patterns', () => {
    const p = loadPolicy(FILE, policy('extends: [recommended]\nrules:\n  Staging:\n    tags: { required: [git_commit, author], match: { git_commit: "^[0-9a-f]{40}$" } }\n    params: { required: [random_state] }\n'));
    expect(p.doc.rules?.Staging?.tags).toEqual({
      required: ['data_version', 'author', 'purpose', 'git_commit'],
      match: { 'mlflow.source.git.commit': '^[0-9a-f]{40}$', git_commit: '^[0-9a-f]{40}$' },
    });
    expect(p.doc.rules?.Staging?.params).toEqual({ required: ['random_seed', 'random_state'] });
  });

  it('merges metrics by name: an entry of the file replaces the preset entry of the same name', () => {
    const p = loadPolicy(FILE, policy('extends: [strict]\nrules:\n  Production:\n    metrics:\n      - { name: latency_p99_ms, max: 10, direction: lower }\n      - { name: val_score, min: 0.9 }\n'));
    expect(p.doc.rules?.Production?.metrics).toEqual([
      { name: 'val_score', min: 0.9 },
      { name: 'latency_p99_ms', max: 10, direction: 'lower' },
    ]);
  });

  it('follows chained presets (strict extends recommended) and lists every source', () => {
    const p = loadPolicy(FILE, policy('extends: [strict]\nmodels: ["fraud-*"]\n'));
    expect(p.sources).toEqual([FILE, 'preset:strict', 'preset:recommended']);
    expect(p.doc.name).toBe('team');
    expect(p.doc.models).toEqual(['fraud-*']);
    const prod = p.doc.rules?.Production;
    expect(prod?.from).toEqual(['Staging']); // from recommended
    expect(prod?.signature).toEqual({ required: true, compatibleWith: 'Production' }); // from recommended
    expect(prod?.minTimeInStage).toBe('24h'); // from strict
    expect(p.doc.rules?.Staging?.params).toEqual({ required: ['random_seed'] });
  });

  it('appends waivers and merges enforcement overrides', () => {
    const p = loadPolicy(FILE, policy('extends: [recommended, strict]\nenforcement: { overrides: { "param:random_seed.required": warn } }\n'));
    expect(p.sources).toEqual([FILE, 'preset:recommended', 'preset:strict']);
    expect(p.doc.enforcement).toEqual({ overrides: { 'param:random_seed.required': 'warn' } });
  });

  it('does not let one policy change what another loads (presets are copied)', () => {
    const a = loadPolicy(FILE, policy('extends: [recommended]\n'));
    a.doc.rules!.Staging!.tags!.required!.push('mutated');
    const b = loadPolicy('policies/b.yaml', policy('extends: [recommended]\n', 'b'));
    expect(b.doc.rules?.Staging?.tags?.required).toEqual(['data_version', 'author', 'purpose']);
  });
});

describe('loadPolicies', () => {
  it('loads *.yaml and *.yml files and ignores others', () => {
    const ps = loadPolicies([
      { path: 'policies/a.yaml', text: policy('models: [a]\n', 'a') },
      { path: 'policies/b.yml', text: policy('models: [b]\n', 'b') },
      { path: 'policies/README.md', text: '# not a policy' },
    ]);
    expect(ps.map((p) => p.file)).toEqual(['policies/a.yaml', 'policies/b.yml']);
  });

  it('a policy name used twice is an error at the second file, naming the first', () => {
    const errs = inputErrors(() =>
      loadPolicies([
        { path: 'policies/a.yaml', text: policy('models: [a]\n', 'shared') },
        { path: 'policies/b.yaml', text: policy('models: [b]\n', 'shared') },
      ]),
    );
    expect(errs).toHaveLength(1);
    expect(errs[0]!.message).toBe("policy name 'shared' is already used by policies/a.yaml");
    expect(errs[0]!.location).toEqual({ file: 'policies/b.yaml', line: 3, column: 7, jsonPath: '/name' });
  });

  it('reports the problems of every file together', () => {
    const errs = inputErrors(() =>
      loadPolicies([
        { path: 'policies/a.yaml', text: policy('rules: { Staging: { minTimeInStage: 3 days } }\n', 'a') },
        { path: 'policies/b.yaml', text: 'apiVersion: modelgate/v1\nkind: Policy\nname: b\nrules: [\n' },
        { path: 'policies/c.yaml', text: policy('waivers: [{ check: run.status, reason: x }]\n', 'c') },
      ]),
    );
    expect(new Set(errs.map((e) => e.location?.file))).toEqual(new Set(['policies/a.yaml', 'policies/b.yaml', 'policies/c.yaml']));
    for (const e of errs) expect(e).toBeInstanceOf(InputError);
  });

  it('refuses hostile YAML like every other loader', () => {
    const [e] = inputErrors(() => loadPolicies([{ path: FILE, text: policy('models: !!js/function "function(){}"\n') }]));
    expect(e!.message).toMatch(/unsupported YAML tag/);
    expect(e!.location).toMatchObject({ file: FILE, line: 4 });
  });
});
