import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { inputErrors } from '../manifest/helpers';

const FILE = 'modelgate.yaml';

describe('loadConfig', () => {
  it('gives the defaults without a file, for an empty file and for a comment-only file', () => {
    const defaults = { registry: 'registry', policies: 'policies', audit: 'audit' };
    expect(loadConfig(undefined, FILE)).toEqual(defaults);
    expect(loadConfig('', FILE)).toEqual(defaults);
    expect(loadConfig('# all defaults\n', FILE)).toEqual(defaults);
  });

  it('reads each key, normalizing the paths, and keeps defaults for the others', () => {
    expect(loadConfig('registry: ./ml/registry/   # manifests\naudit: ml/audit\n', FILE)).toEqual({ registry: 'ml/registry', policies: 'policies', audit: 'ml/audit' });
  });

  it.each([
    ['registry: ../outside\n', /'\.\.'/, { line: 1, column: 11, jsonPath: '/registry' }],
    ['policies: /etc\n', /absolute/, { line: 1, column: 11, jsonPath: '/policies' }],
    ['audit: .\n', /repository root/, { line: 1, column: 8, jsonPath: '/audit' }],
  ])('refuses a directory outside the repository: %s', (text, message, where) => {
    const [e, ...rest] = inputErrors(() => loadConfig(text, FILE));
    expect(rest).toEqual([]);
    expect(e!.message).toMatch(message);
    expect(e!.location).toEqual({ file: FILE, ...where });
    expect(e!.hint).toBeTruthy();
  });

  it('an unknown key, with a did-you-mean', () => {
    const [e] = inputErrors(() => loadConfig('registry: registry\npolices: rules\n', FILE));
    expect(e!.location).toEqual({ file: FILE, line: 2, column: 1, jsonPath: '/polices' });
    expect(e!.hint).toBe("did you mean 'policies'?");
  });

  it('a value that is not a path', () => {
    const [e] = inputErrors(() => loadConfig('registry: [a, b]\n', FILE));
    expect(e!.message).toMatch(/must be a string, got a list/);
    expect(e!.location).toMatchObject({ line: 1, jsonPath: '/registry' });
  });

  it('two roles in one directory', () => {
    const [e] = inputErrors(() => loadConfig('registry: models\npolicies: models/\n', FILE));
    expect(e!.message).toBe("policies and registry are the same directory 'models'");
    expect(e!.location).toMatchObject({ line: 2, jsonPath: '/policies' });
  });

  it('broken YAML and hostile YAML are input errors with a location', () => {
    expect(inputErrors(() => loadConfig('registry: "open\n', FILE))[0]!.location?.file).toBe(FILE);
    expect(inputErrors(() => loadConfig('registry: !!js/function "f"\n', FILE))[0]!.message).toMatch(/unsupported YAML tag/);
  });
});
