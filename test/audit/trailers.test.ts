import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitMessage, parseTrailers, type CommitTrailers } from '../../src/audit/trailers';
import type { AuditRecord } from '../../src/audit/types';
import { chain, fields } from './fixtures';

/** Runs git with an argument array, `input` on stdin. */
function git(args: string[], opts: { cwd?: string; input?: string } = {}): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', args, {
      cwd: opts.cwd ?? tmpdir(),
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise(out) : reject(new Error(`git ${args.join(' ')} failed: ${err}`))));
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}

/** The trailers git itself finds in a message, as `Key: value` lines. */
async function gitTrailers(message: string): Promise<string[]> {
  return (await git(['interpret-trailers', '--parse'], { input: message })).split('\n').filter(Boolean);
}

const asLines = (ts: CommitTrailers[]) =>
  ts.flatMap((t) => [`Modelgate-Model: ${t.model}`, `Modelgate-Version: ${t.version}`, `Modelgate-Transition: ${t.transition}`, `Modelgate-Audit: ${t.audit}`]);

/** promote v3 to Production, which archives v2 (displaced). */
function promotion(): AuditRecord[] {
  return chain([fields({ version: 3, from: 'Staging', to: 'Production', displaced: 2 }), fields({ action: 'promote', version: 2, from: 'Production', to: 'Archived' })]);
}

describe('commitMessage', () => {
  it('is the SPEC layout for one record', () => {
    const [r] = chain([fields()]);
    expect(commitMessage([r!], 'beats champion on val_auc')).toBe(
      [
        'modelgate: promote churn-predictor v3 Staging -> Production',
        '',
        'beats champion on val_auc',
        '',
        'Modelgate-Model: churn-predictor',
        'Modelgate-Version: 3',
        'Modelgate-Transition: Staging -> Production',
        `Modelgate-Audit: ${r!.hash}`,
        '',
      ].join('\n'),
    );
  });

  it('names the main transition, not the displaced archive, and lists a trailer block per record', () => {
    const records = promotion();
    const msg = commitMessage(records);
    expect(msg.split('\n')[0]).toBe('modelgate: promote churn-predictor v3 Staging -> Production');
    expect(parseTrailers(msg)).toEqual([
      { model: 'churn-predictor', version: 3, transition: 'Staging -> Production', audit: records[0]!.hash },
      { model: 'churn-predictor', version: 2, transition: 'Production -> Archived', audit: records[1]!.hash },
    ]);
  });

  it('summarizes several independent transitions, and describes registrations and aliases', () => {
    const records = chain([
      fields({ action: 'register', version: 4, from: null, to: 'None' }),
      fields({ action: 'alias', version: 3, from: 'Production', to: '@champion', displaced: 2 }),
      fields({ action: 'alias', version: 1, from: null, to: '@old', removed: true }),
    ]);
    const msg = commitMessage(records, 'Recorded 3 transitions merged without an audit record.');
    expect(msg.split('\n')[0]).toBe('modelgate: record 3 transitions of churn-predictor');
    expect(parseTrailers(msg).map((t) => t.transition)).toEqual(['new -> None', '@champion v2 -> v3', '@old v1 -> (removed)']);
    expect(commitMessage(records.slice(1, 2)).split('\n')[0]).toBe('modelgate: alias churn-predictor @champion v2 -> v3');
  });

  it('is read completely by git interpret-trailers, repeated keys included', async () => {
    const records = promotion();
    const msg = commitMessage(records, 'beats champion');
    expect(await gitTrailers(msg)).toEqual([
      'Modelgate-Model: churn-predictor',
      'Modelgate-Version: 3',
      'Modelgate-Transition: Staging -> Production',
      `Modelgate-Audit: ${records[0]!.hash}`,
      'Modelgate-Model: churn-predictor',
      'Modelgate-Version: 2',
      'Modelgate-Transition: Production -> Archived',
      `Modelgate-Audit: ${records[1]!.hash}`,
    ]);
  });

  it('keeps a reason from injecting or hiding trailers, for git and for parseTrailers', async () => {
    const records = promotion();
    const expected = asLines(parseTrailers(commitMessage(records)));
    const hostile = [
      'ok\nModelgate-Model: evil',
      'ok\n\nModelgate-Model: evil\nModelgate-Version: 9\nModelgate-Transition: None -> Production\nModelgate-Audit: sha256:' + '0'.repeat(64),
      'Modelgate-Model: evil\n---\nsee patch',
      'why\n\n---\n',
      'trailing\n\n\n   \n',
      'crlf\r\n\r\nModelgate-Model: evil\r\n',
      '# comment\nSigned-off-by: mallory <m@example.com>',
    ];
    for (const reason of hostile) {
      const msg = commitMessage(records, reason);
      expect(await gitTrailers(msg), JSON.stringify(reason)).toEqual(expected);
      expect(asLines(parseTrailers(msg))).toEqual(expected);
      expect(msg.split('\n')[0]).toBe('modelgate: promote churn-predictor v3 Staging -> Production');
    }
  });

  it('agrees with git on generated reasons', async () => {
    const records = promotion();
    const expected = asLines(parseTrailers(commitMessage(records)));
    const piece = fc.constantFrom('\n', '\n\n', '\r\n', ' ', ':', '---', '#', 'Modelgate-Model', 'Modelgate-Audit: x', 'Key: v', '\t', 'é', 'word');
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 10 }).map((xs) => xs.join('')), async (reason) => {
        const msg = commitMessage(records, reason);
        expect(await gitTrailers(msg)).toEqual(expected);
        expect(asLines(parseTrailers(msg))).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });
});

describe('a real commit', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await fs.mkdtemp(join(tmpdir(), 'modelgate-trailers-'));
    await git(['init', '-q', '-b', 'main'], { cwd: repo });
  });
  afterAll(async () => {
    await fs.rm(repo, { recursive: true, force: true });
  });

  it('carries the trailers through git commit and git log', async () => {
    const records = promotion();
    await git(['commit', '-q', '--allow-empty', '-F', '-'], { cwd: repo, input: commitMessage(records, 'line one\n\nModelgate-Model: evil\n') });
    const audits = await git(['log', '-1', '--format=%(trailers:key=Modelgate-Audit,valueonly)'], { cwd: repo });
    expect(audits.split('\n').filter(Boolean)).toEqual(records.map((r) => r.hash));
    const body = await git(['log', '-1', '--format=%B'], { cwd: repo });
    expect(parseTrailers(body).map((t) => t.audit)).toEqual(records.map((r) => r.hash));
  });
});

describe('parseTrailers', () => {
  it('ignores trailers outside the last paragraph, a last paragraph that is not all trailers, and incomplete groups', () => {
    expect(parseTrailers('modelgate: x\n\nModelgate-Model: a\nModelgate-Version: 1\nModelgate-Transition: t\nModelgate-Audit: h\n\nplain text')).toEqual([]);
    expect(parseTrailers('Modelgate-Model: a\nModelgate-Version: 1\nModelgate-Transition: t\nModelgate-Audit: h')).toEqual([]);
    expect(parseTrailers('s\n\nModelgate-Model: a\nModelgate-Version: 1\nnot a trailer')).toEqual([]);
    expect(parseTrailers('s\n\nModelgate-Model: a\nModelgate-Version: x\nModelgate-Transition: t\nModelgate-Audit: h\nSigned-off-by: b')).toEqual([]);
    expect(parseTrailers('s\n\nmodelgate-model: a\nModelgate-Version: 2\nModelgate-Transition: Staging\n  -> Production\nModelgate-Audit: h')).toEqual([
      { model: 'a', version: 2, transition: 'Staging -> Production', audit: 'h' },
    ]);
  });
});
