import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors';
import { loadManifest, normalizeReference } from '../../src/manifest/load';
import { normalizeRepoPath } from '../../src/storage/paths';
import { DIGEST, inputErrors } from './helpers';

const FILE = 'registry/churn-predictor.yaml';

const GOOD = `apiVersion: modelgate/v1
kind: Model
name: churn-predictor          # must equal the file name
owner: "@acme/ml-churn"
riskTier: high
versions:
  - version: 1
    run: ./mlruns/1/3f2a9c/
    stage: Archived
  - version: 2
    run: runs/7c9e.json
    artifact: s3://ml-models/churn/2/
    digest: ${DIGEST}
    stage: Production
aliases:
  champion: 2
`;

/** GOOD with one line replaced. */
function withLine(match: string, replacement: string, text = GOOD): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.includes(match));
  if (i === -1) throw new Error(match);
  lines[i] = replacement;
  return lines.join('\n');
}

describe('loadManifest: a valid manifest', () => {
  it('gives the manifest, with normalized run paths and the lines of versions, stages and aliases', () => {
    const loaded = loadManifest(GOOD, FILE);
    expect(loaded.file).toBe(FILE);
    expect(loaded.manifest).toEqual({
      name: 'churn-predictor',
      owner: '@acme/ml-churn',
      riskTier: 'high',
      versions: [
        { version: 1, run: 'mlruns/1/3f2a9c', stage: 'Archived' },
        { version: 2, run: 'runs/7c9e.json', artifact: 's3://ml-models/churn/2/', digest: DIGEST, stage: 'Production' },
      ],
      aliases: { champion: 2 },
    });
    expect([...loaded.versionLines]).toEqual([[1, 7], [2, 10]]);
    expect([...loaded.stageLines]).toEqual([[1, 9], [2, 14]]);
    expect([...loaded.aliasLines]).toEqual([['champion', 16]]);
  });

  it('accepts `versions: []` and no aliases (a freshly created manifest)', () => {
    const m = loadManifest('apiVersion: modelgate/v1\nkind: Model\nname: churn-predictor\nversions: []\n', FILE).manifest;
    expect(m).toEqual({ name: 'churn-predictor', versions: [], aliases: {} });
  });

  it('accepts CRLF line endings and a byte-order mark', () => {
    const loaded = loadManifest('\uFEFF' + GOOD.replace(/\n/g, '\r\n'), FILE);
    expect(loaded.manifest.versions).toHaveLength(2);
    expect(loaded.stageLines.get(2)).toBe(14);
  });
});

describe('loadManifest: bad input is an input error with file, line, column, JSON path and a hint', () => {
  it('broken YAML', () => {
    const text = withLine('owner:', 'owner: "@acme/ml-churn');
    const [e] = inputErrors(() => loadManifest(text, FILE));
    expect(e).toBeInstanceOf(InputError);
    expect(e!.exitCode).toBe(2);
    expect(e!.location?.file).toBe(FILE);
    expect(e!.location?.line).toBeGreaterThanOrEqual(4);
    expect(e!.message).toMatch(/YAML/);
    expect(e!.hint).toBeTruthy();
  });

  it('a wrong type: version: "three"', () => {
    const text = withLine('- version: 2', '  - version: "three"');
    const errs = inputErrors(() => loadManifest(text, FILE));
    expect(errs).toHaveLength(1);
    const e = errs[0]!;
    expect(e.location).toEqual({ file: FILE, line: 10, column: 14, jsonPath: '/versions/1/version' });
    expect(e.message).toMatch(/must be an integer, got a string \("three"\)/);
    expect(e.hint).toMatch(/whole numbers/);
  });

  it('an unknown key near a known one: Stage → did you mean stage', () => {
    const text = withLine('stage: Archived', '    Stage: Archived');
    const errs = inputErrors(() => loadManifest(text, FILE));
    const unknown = errs.find((e) => /unknown key 'Stage'/.test(e.message));
    expect(unknown?.location).toEqual({ file: FILE, line: 9, column: 5, jsonPath: '/versions/0/Stage' });
    expect(unknown?.hint).toBe("did you mean 'stage'?");
  });

  it('an enum value in the wrong case: production → Production', () => {
    const text = withLine('stage: Archived', '    stage: production');
    const [e, ...rest] = inputErrors(() => loadManifest(text, FILE));
    expect(rest).toEqual([]);
    expect(e!.location).toEqual({ file: FILE, line: 9, column: 12, jsonPath: '/versions/0/stage' });
    expect(e!.hint).toMatch(/did you mean 'Production'\?/);
  });

  it('a duplicate version points at the second occurrence and names the first', () => {
    const text = withLine('- version: 1', '  - version: 2');
    const [e, ...rest] = inputErrors(() => loadManifest(text, FILE));
    expect(rest).toEqual([]);
    expect(e!.location).toEqual({ file: FILE, line: 10, column: 14, jsonPath: '/versions/1/version' });
    expect(e!.message).toBe('version 2 appears twice (first at line 7)');
    expect(e!.hint).toMatch(/never reused/);
  });

  it('two versions in Production: an error by default, accepted with singleProduction: false', () => {
    const text = withLine('stage: Archived', '    stage: Production');
    const [e, ...rest] = inputErrors(() => loadManifest(text, FILE));
    expect(rest).toEqual([]);
    expect(e!.location).toEqual({ file: FILE, line: 14, column: 12, jsonPath: '/versions/1/stage' });
    expect(e!.message).toMatch(/two versions are in Production: 1 \(line 9\) and 2/);
    expect(e!.hint).toMatch(/Archived/);
    const loaded = loadManifest(text, FILE, { singleProduction: false });
    expect(loaded.manifest.versions.map((v) => v.stage)).toEqual(['Production', 'Production']);
  });

  it('an alias pointing to a version that does not exist', () => {
    const text = withLine('champion: 2', '  champion: 7');
    const [e, ...rest] = inputErrors(() => loadManifest(text, FILE));
    expect(rest).toEqual([]);
    expect(e!.location).toEqual({ file: FILE, line: 16, column: 13, jsonPath: '/aliases/champion' });
    expect(e!.message).toBe("alias 'champion' points to version 7, which does not exist");
    expect(e!.hint).toMatch(/1, 2/);
  });

  it('an alias with an invalid name', () => {
    const text = withLine('champion: 2', '  "best model": 2');
    const [e] = inputErrors(() => loadManifest(text, FILE));
    expect(e!.location).toMatchObject({ line: 16, column: 3, jsonPath: '/aliases/best model' });
    expect(e!.hint).toMatch(/letters, digits/);
  });

  it.each([
    ['an empty file', ''],
    ['only whitespace', '  \n\n'],
    ['only comments', '# nothing here yet\n'],
  ])('%s: "empty manifest"', (_, text) => {
    const [e] = inputErrors(() => loadManifest(text, FILE));
    expect(e!.message).toMatch(/^empty manifest: registry\/churn-predictor\.yaml/);
    expect(e!.location).toMatchObject({ file: FILE, line: 1 });
    expect(e!.hint).toMatch(/apiVersion/);
  });

  it('a name that differs from the file name', () => {
    const [e] = inputErrors(() => loadManifest(GOOD, 'registry/churn.yaml'));
    expect(e!.location).toEqual({ file: 'registry/churn.yaml', line: 3, column: 7, jsonPath: '/name' });
    expect(e!.message).toMatch(/does not match the file name 'churn\.yaml'/);
    expect(e!.hint).toBe('rename the file to registry/churn-predictor.yaml, or set name: churn');
  });

  it('a name outside the allowed alphabet', () => {
    const text = withLine('name:', 'name: -churn');
    const errs = inputErrors(() => loadManifest(text, 'registry/-churn.yaml'));
    expect(errs).toHaveLength(1);
    expect(errs[0]!.location).toMatchObject({ line: 3, jsonPath: '/name' });
    expect(errs[0]!.hint).toMatch(/letter or digit/);
  });

  it.each([
    ['../x', /'\.\.'/],
    ['/etc/passwd', /absolute/],
    ['mlruns\\1', /backslash/],
    ['s3://Bad_Bucket/x', /not a valid S3 URI/],
  ])('a run reference that escapes the repository or is malformed: %s', (ref, message) => {
    const text = withLine('run: ./mlruns', `    run: "${ref.replace(/\\/g, '\\\\')}"`);
    const [e, ...rest] = inputErrors(() => loadManifest(text, FILE));
    expect(rest).toEqual([]);
    expect(e!.message).toMatch(message);
    expect(e!.location).toEqual({ file: FILE, line: 8, column: 10, jsonPath: '/versions/0/run' });
    expect(e!.hint).toBeTruthy();
  });

  it('an artifact path that escapes the repository', () => {
    const text = withLine('artifact:', '    artifact: ../../secrets');
    const [e] = inputErrors(() => loadManifest(text, FILE));
    expect(e!.location).toMatchObject({ line: 12, jsonPath: '/versions/1/artifact' });
  });

  it('a malformed digest', () => {
    const text = withLine('digest:', `    digest: sha256:${'AB12'.repeat(16)}`);
    const [e, ...rest] = inputErrors(() => loadManifest(text, FILE));
    expect(rest).toEqual([]);
    expect(e!.location).toEqual({ file: FILE, line: 13, column: 13, jsonPath: '/versions/1/digest' });
    expect(e!.hint).toMatch(/64 lowercase hex/);
  });

  it('a !!js/function tag is refused, never run', () => {
    const text = withLine('owner:', 'owner: !!js/function "function () { process.exit(9) }"');
    const [e] = inputErrors(() => loadManifest(text, FILE));
    expect(e!.message).toMatch(/unsupported YAML tag/);
    expect(e!.location).toMatchObject({ file: FILE, line: 4 });
    expect(e!.hint).toMatch(/never executed/);
  });

  it('an alias bomb is refused', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    ].join('\n');
    const [e] = inputErrors(() => loadManifest(`${GOOD}${bomb}\n`, FILE));
    expect(e!.location?.file).toBe(FILE);
    expect(e!.hint).toMatch(/alias/);
  });

  it('a duplicate key', () => {
    const text = GOOD.replace('riskTier: high\n', 'riskTier: high\nriskTier: low\n');
    const [e] = inputErrors(() => loadManifest(text, FILE));
    expect(e!.message).toMatch(/duplicate key/);
    expect(e!.location).toMatchObject({ file: FILE, line: 6 });
    expect(e!.hint).toMatch(/repeated key/);
  });

  it('apiVersion and kind must be exact', () => {
    const text = GOOD.replace('apiVersion: modelgate/v1', 'apiVersion: modelgate/v2').replace('kind: Model', 'kind: Policy');
    const errs = inputErrors(() => loadManifest(text, FILE));
    expect(errs.map((e) => e.location?.jsonPath).sort()).toEqual(['/apiVersion', '/kind']);
    expect(errs.find((e) => e.location?.jsonPath === '/kind')?.hint).toMatch(/kind: Model/);
  });

  it('reports every problem in the file at once', () => {
    let text = withLine('- version: 2', '  - version: 1');
    text = withLine('stage: Archived', '    Stage: Archived', text);
    text = withLine('run: runs/7c9e.json', '    run: ../escape', text);
    text = withLine('champion: 2', '  champion: 9', text);
    const errs = inputErrors(() => loadManifest(text, 'registry/other.yaml'));
    const paths = errs.map((e) => e.location?.jsonPath);
    expect(paths).toEqual(
      expect.arrayContaining(['/versions/0/Stage', '/versions/1/version', '/versions/1/run', '/aliases/champion', '/name']),
    );
    for (const e of errs) expect(e.location?.file).toBe('registry/other.yaml');
  });
});

describe('normalizeReference', () => {
  const outcome = (f: () => string) => {
    try {
      return f();
    } catch (err) {
      return err instanceof InputError ? 'refused' : 'crashed';
    }
  };

  it('agrees with normalizeRepoPath on every repository path (its fast path changes nothing)', () => {
    const segment = fc.oneof(fc.constantFrom('.', '..', '', '~', 'C:', 'a\\b', 'mlruns', 'x.json', '_tmp', '-x', 'a b'), fc.stringMatching(/^[A-Za-z0-9._=+@:~-]{1,6}$/));
    const path = fc.tuple(fc.constantFrom('', '/', './'), fc.array(segment, { minLength: 1, maxLength: 5 }), fc.constantFrom('', '/')).map(([a, segs, z]) => a + segs.join('/') + z);
    fc.assert(
      fc.property(path, (p) => {
        expect(outcome(() => normalizeReference(p, 'run'))).toBe(outcome(() => normalizeRepoPath(p, 'run')));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps S3 URIs as written and refuses malformed ones', () => {
    expect(normalizeReference('s3://ml-models/churn/1/', 'artifact')).toBe('s3://ml-models/churn/1/');
    expect(() => normalizeReference('s3://ml-models/../x', 'artifact')).toThrow(InputError);
  });
});
