import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors';
import { addVersion, removeAlias, setAlias, setDigest, setStage } from '../../src/manifest/edit';
import { loadManifest } from '../../src/manifest/load';
import { DIGEST, inputErrors } from './helpers';

const FILE = 'registry/churn-predictor.yaml';

const COMMENTED = `# Churn predictor: owned by the retention team.
# Promotions go through pull requests; see policies/churn.yaml.

apiVersion: modelgate/v1
kind: Model
name: "churn-predictor"        # must equal the file name
owner: '@acme/ml-churn'
description: >-
  Predicts 30-day churn
  for paying customers.

versions:
  # The first model, trained on the 2024 snapshot.
  - version: 1
    run: "mlruns/1/3f2a9c"     # MLflow run
    stage: 'Archived'          # replaced by v2

  - version: 2
    run: runs/7c9e.json
    artifact: "s3://ml-models/churn/2/"
    stage: Production
    # v2 beat v1 on val_auc by 0.02

# Keep this list short: archive old versions.
`;

const lines = (t: string) => t.split('\n');

/** Indexes of lines that differ between two texts of the same length. */
function changedLines(a: string, b: string): number[] {
  const la = lines(a);
  const lb = lines(b);
  expect(lb).toHaveLength(la.length);
  return la.flatMap((l, i) => (l === lb[i] ? [] : [i]));
}

/** The lines `b` has in addition to `a`, when `a`'s lines are all kept in order (pure insertion). */
function insertedLines(a: string, b: string): string[] {
  const la = lines(a);
  const extra: string[] = [];
  let i = 0;
  for (const l of lines(b)) {
    if (i < la.length && l === la[i]) i++;
    else extra.push(l);
  }
  expect(i, 'every original line is kept, in order').toBe(la.length);
  return extra;
}

describe('setStage', () => {
  it('changes exactly one line and keeps the quoting style there', () => {
    const out = setStage(COMMENTED, FILE, 1, 'Staging');
    const changed = changedLines(COMMENTED, out);
    expect(changed).toHaveLength(1);
    expect(lines(out)[changed[0]!]).toBe("    stage: 'Staging'          # replaced by v2");
    expect(loadManifest(out, FILE).manifest.versions[0]!.stage).toBe('Staging');
  });

  it('is used twice for a promotion that archives the previous Production version (2 lines)', () => {
    let out = setStage(COMMENTED, FILE, 1, 'Production');
    out = setStage(out, FILE, 2, 'Archived');
    expect(changedLines(COMMENTED, out)).toHaveLength(2);
    expect(loadManifest(out, FILE).manifest.versions.map((v) => v.stage)).toEqual(['Production', 'Archived']);
  });

  it('refuses a version that does not exist, naming the ones that do', () => {
    const [e] = inputErrors(() => setStage(COMMENTED, FILE, 7, 'Staging'));
    expect(e!.message).toBe('churn-predictor has no version 7');
    expect(e!.hint).toBe('versions: 1, 2');
    expect(e!.location?.file).toBe(FILE);
  });

  it('refuses to edit a manifest that is not valid to begin with', () => {
    const broken = COMMENTED.replace("stage: 'Archived'", 'stage: archived');
    const [e] = inputErrors(() => setStage(broken, FILE, 2, 'Archived'));
    expect(e!.hint).toMatch(/Archived/);
  });
});

describe('addVersion', () => {
  it('appends an item in the style of the existing ones, after the last item and its comments', () => {
    const out = addVersion(COMMENTED, FILE, { version: 3, run: 'runs/8d1f.json', artifact: 's3://ml-models/churn/3/', digest: DIGEST, stage: 'None' });
    expect(insertedLines(COMMENTED, out)).toEqual([
      '  - version: 3',
      '    run: runs/8d1f.json',
      '    artifact: "s3://ml-models/churn/3/"',
      `    digest: ${DIGEST}`,
      '    stage: None',
    ]);
    const at = lines(out).indexOf('  - version: 3');
    expect(lines(out)[at - 1]).toBe('    # v2 beat v1 on val_auc by 0.02');
    expect(loadManifest(out, FILE).manifest.versions[2]).toEqual({ version: 3, run: 'runs/8d1f.json', artifact: 's3://ml-models/churn/3/', digest: DIGEST, stage: 'None' });
  });

  it('follows the key order and indentation of the existing items', () => {
    const text = 'apiVersion: modelgate/v1\nkind: Model\nname: churn-predictor\nversions:\n-   version: 1\n    stage: None\n    run: runs/1.json\n';
    const out = addVersion(text, FILE, { version: 2, run: 'runs/2.json', artifact: 'models/2', stage: 'None' });
    expect(insertedLines(text, out)).toEqual(['-   version: 2', '    stage: None', '    run: runs/2.json', '    artifact: models/2']);
  });

  it('turns `versions: []` into a block sequence, keeping a comment on that line', () => {
    const text = 'apiVersion: modelgate/v1\nkind: Model\nname: churn-predictor\nversions: []   # none yet\n';
    const out = addVersion(text, FILE, { version: 1, run: 'runs/1.json', stage: 'None' });
    expect(out).toBe('apiVersion: modelgate/v1\nkind: Model\nname: churn-predictor\nversions:   # none yet\n  - version: 1\n    run: runs/1.json\n    stage: None\n');
  });

  it('writes the run path normalized and refuses one that escapes the repository', () => {
    const out = addVersion(COMMENTED, FILE, { version: 3, run: './runs/3.json', stage: 'None' });
    expect(out).toContain('    run: runs/3.json\n');
    const [e] = inputErrors(() => addVersion(COMMENTED, FILE, { version: 3, run: '../outside', stage: 'None' }));
    expect(e!.message).toMatch(/'\.\.'/);
  });

  it('refuses a version number that is already used', () => {
    const [e] = inputErrors(() => addVersion(COMMENTED, FILE, { version: 2, run: 'runs/x.json', stage: 'None' }));
    expect(e!.message).toBe('churn-predictor already has a version 2');
  });

  it('falls back to re-rendering for flow-style versions, and the result is still right', () => {
    const text = 'apiVersion: modelgate/v1\nkind: Model\nname: churn-predictor\nversions: [{version: 1, run: r/1, stage: None}]\n';
    const out = addVersion(text, FILE, { version: 2, run: 'r/2', stage: 'Staging' });
    expect(loadManifest(out, FILE).manifest.versions).toEqual([
      { version: 1, run: 'r/1', stage: 'None' },
      { version: 2, run: 'r/2', stage: 'Staging' },
    ]);
  });
});

describe('setAlias and removeAlias', () => {
  it('adds a missing aliases block at the end, in the file indentation', () => {
    const out = setAlias(COMMENTED, FILE, 'champion', 2);
    expect(insertedLines(COMMENTED, out)).toEqual(['aliases:', '  champion: 2']);
    expect(loadManifest(out, FILE).manifest.aliases).toEqual({ champion: 2 });
  });

  it('adds an entry to an existing block and updates an existing entry in one line', () => {
    const text = `${COMMENTED}aliases:\n    champion: 2   # the serving model\n`;
    const added = setAlias(text, FILE, 'challenger', 1);
    expect(insertedLines(text, added)).toEqual(['    challenger: 1']);
    const moved = setAlias(added, FILE, 'champion', 1);
    expect(lines(moved)[changedLines(added, moved)[0]!]).toBe('    champion: 1   # the serving model');
    expect(loadManifest(moved, FILE).manifest.aliases).toEqual({ champion: 1, challenger: 1 });
  });

  it('turns `aliases: {}` into a block', () => {
    const text = `${COMMENTED}aliases: {}\n`;
    const out = setAlias(text, FILE, 'champion', 2);
    expect(out.endsWith('aliases:\n  champion: 2\n')).toBe(true);
  });

  it('refuses an alias to a version that does not exist, and an invalid alias name', () => {
    expect(inputErrors(() => setAlias(COMMENTED, FILE, 'champion', 9))[0]!.message).toBe('churn-predictor has no version 9');
    expect(inputErrors(() => setAlias(COMMENTED, FILE, 'best model', 1))[0]!.message).toMatch(/not a valid alias name/);
  });

  it('removes one entry line, and leaves `aliases: {}` when the last one goes', () => {
    const text = `${COMMENTED}aliases:\n  champion: 2\n  challenger: 1   # shadow traffic\n`;
    const one = removeAlias(text, FILE, 'challenger');
    expect(insertedLines(one, text)).toEqual(['  challenger: 1   # shadow traffic']);
    const none = removeAlias(one, FILE, 'champion');
    expect(none.endsWith('aliases: {}\n')).toBe(true);
    expect(loadManifest(none, FILE).manifest.aliases).toEqual({});
    expect(inputErrors(() => removeAlias(none, FILE, 'champion'))[0]!.message).toBe("churn-predictor has no alias 'champion'");
  });
});

describe('setDigest', () => {
  it('inserts the digest right after artifact (or run), at the same indentation', () => {
    const out = setDigest(COMMENTED, FILE, 2, DIGEST);
    expect(insertedLines(COMMENTED, out)).toEqual([`    digest: ${DIGEST}`]);
    const i = lines(out).indexOf(`    digest: ${DIGEST}`);
    expect(lines(out)[i - 1]).toBe('    artifact: "s3://ml-models/churn/2/"');
    const afterRun = setDigest(COMMENTED, FILE, 1, DIGEST);
    const j = lines(afterRun).indexOf(`    digest: ${DIGEST}`);
    expect(lines(afterRun)[j - 1]).toBe('    run: "mlruns/1/3f2a9c"     # MLflow run');
  });

  it('replaces an existing digest in place', () => {
    const once = setDigest(COMMENTED, FILE, 2, DIGEST);
    const other = `sha256:${'0'.repeat(64)}`;
    const twice = setDigest(once, FILE, 2, other);
    expect(changedLines(once, twice)).toHaveLength(1);
    expect(loadManifest(twice, FILE).manifest.versions[1]!.digest).toBe(other);
  });

  it('refuses a malformed digest', () => {
    const [e] = inputErrors(() => setDigest(COMMENTED, FILE, 2, 'md5:abc'));
    expect(e).toBeInstanceOf(InputError);
    expect(e!.hint).toMatch(/64 lowercase hex/);
  });
});

describe('line endings, byte-order marks and anchors', () => {
  it('keeps CRLF line endings, also on inserted lines', () => {
    const crlf = COMMENTED.replace(/\n/g, '\r\n');
    let out = setStage(crlf, FILE, 1, 'Staging');
    out = addVersion(out, FILE, { version: 3, run: 'runs/3.json', stage: 'None' });
    out = setAlias(out, FILE, 'champion', 2);
    out = setDigest(out, FILE, 3, DIGEST);
    expect(out.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(out.split('\r\n').length).toBe(COMMENTED.split('\n').length + 6);
  });

  it('handles a file without a final newline', () => {
    const text = 'apiVersion: modelgate/v1\nkind: Model\nname: churn-predictor\nversions:\n  - version: 1\n    run: r/1\n    stage: None';
    let out = addVersion(text, FILE, { version: 2, run: 'r/2', stage: 'None' });
    out = setDigest(out, FILE, 2, DIGEST);
    out = setAlias(out, FILE, 'champion', 1);
    expect(insertedLines(text, out)).toEqual(['  - version: 2', '    run: r/2', `    digest: ${DIGEST}`, '    stage: None', 'aliases:', '  champion: 1', '']);
  });

  it('keeps a byte-order mark', () => {
    const out = setStage('\uFEFF' + COMMENTED, FILE, 1, 'Staging');
    expect(out.startsWith('\uFEFF# Churn predictor')).toBe(true);
  });

  it('refuses an edit it cannot make without changing more than intended (a shared anchor)', () => {
    // Changing v1's stage in place would also change v2's (`*s`): refused, nothing written.
    const text = 'apiVersion: modelgate/v1\nkind: Model\nname: churn-predictor\nversions:\n  - version: 1\n    run: r/1\n    stage: &s Staging\n  - version: 2\n    run: r/2\n    stage: *s\n';
    const [e] = inputErrors(() => setStage(text, FILE, 1, 'Production'));
    expect(e!.message).toBe(`cannot edit ${FILE} without changing more than intended`);
    expect(e!.hint).toMatch(/anchors/);
    // An anchor nobody refers to is no obstacle.
    const lone = text.replace('stage: *s', 'stage: Staging');
    expect(loadManifest(setStage(lone, FILE, 1, 'Production'), FILE).manifest.versions.map((v) => v.stage)).toEqual(['Production', 'Staging']);
  });
});
