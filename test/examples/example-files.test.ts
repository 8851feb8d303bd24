/**
 * The bundled example registry (examples/churn) is what a newcomer reads first and what
 * `npm run demo` runs on. These checks keep its files in the formats the real writers produce
 * (shared/samples/README.md) and its manifest digests true, by simple means independent of
 * src/: a broken example would otherwise surface only as a confusing demo.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const EXAMPLE = fileURLToPath(new URL('../../examples/churn', import.meta.url));
const at = (...p: string[]) => join(EXAMPLE, ...p);
/** Names inside an MLflow experiment dir that are not runs (samples/README.md section 1.1). */
const RESERVED = new Set(['tags', 'datasets', 'traces', 'models']);
const STATUS_NAMES: Record<number, string> = { 1: 'RUNNING', 2: 'SCHEDULED', 3: 'FINISHED', 4: 'FAILED', 5: 'KILLED' };

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

const posixRel = (from: string, to: string) => relative(from, to).split(sep).join('/');

/** SPEC section 6: sha256sum lines sorted by relative path (byte order), then sha256 of the text. */
function digestOf(path: string): string {
  const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
  if (statSync(path).isFile()) return `sha256:${sha(readFileSync(path))}`;
  const rels = filesUnder(path)
    .map((f) => posixRel(path, f))
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return `sha256:${sha(rels.map((r) => `${sha(readFileSync(join(path, r)))}  ${r}\n`).join(''))}`;
}

/** MLflow writes Python str(float); reads accept nan/inf spellings in any case. */
const METRIC_VALUE = /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?(?:nan|inf|infinity))$/i;

function experimentDirs(): string[] {
  return readdirSync(at('mlruns'), { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'models' && e.name !== '.trash')
    .map((e) => at('mlruns', e.name));
}

function runDirs(): string[] {
  return experimentDirs().flatMap((exp) =>
    readdirSync(exp, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !RESERVED.has(e.name))
      .map((e) => join(exp, e.name)),
  );
}

interface ManifestVersion {
  version: number;
  run: string;
  artifact?: string;
  digest?: string;
  stage: string;
}
interface Manifest {
  name: string;
  versions: ManifestVersion[];
  aliases?: Record<string, number>;
}

function manifests(): { file: string; manifest: Manifest }[] {
  return readdirSync(at('registry'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => ({ file: `registry/${f}`, manifest: parse(readFileSync(at('registry', f), 'utf8')) as Manifest }));
}

/** Where a version's model files are: `artifact:`, else the run's default (SPEC sections 2, 3). */
function localArtifact(v: ManifestVersion): string | undefined {
  if (v.artifact) return v.artifact.startsWith('s3://') ? undefined : v.artifact;
  if (v.run.endsWith('.json')) return (JSON.parse(readFileSync(at(v.run), 'utf8')) as { artifact?: string }).artifact;
  if (existsSync(at(v.run, 'meta.yaml'))) return `${v.run}/artifacts/model`;
  return undefined;
}

describe('examples/churn: MLflow FileStore runs', () => {
  const runs = runDirs();

  it('has runs to check', () => {
    expect(runs.length).toBeGreaterThanOrEqual(5);
  });

  it('every experiment has a meta.yaml naming its own id', () => {
    for (const exp of experimentDirs()) {
      const meta = parse(readFileSync(join(exp, 'meta.yaml'), 'utf8')) as Record<string, unknown>;
      expect(meta.experiment_id, exp).toBe(exp.split(sep).pop());
      expect(meta.lifecycle_stage, exp).toBe('active');
    }
  });

  it('every run has a meta.yaml with an integer status, its own run id and its experiment id', () => {
    for (const run of runs) {
      const meta = parse(readFileSync(join(run, 'meta.yaml'), 'utf8')) as Record<string, unknown>;
      const [exp, id] = run.split(sep).slice(-2);
      expect(Number.isInteger(meta.status) && STATUS_NAMES[meta.status as number] !== undefined, `${run}: status ${String(meta.status)}`).toBe(true);
      expect(meta.run_id, run).toBe(id);
      expect(meta.experiment_id, run).toBe(exp);
      expect(typeof meta.start_time, run).toBe('number');
    }
  });

  it('every metric line is `<timestamp_ms> <value> <step>\\n` with numeric fields, and files hold a history', () => {
    for (const run of runs) {
      for (const file of filesUnder(join(run, 'metrics'))) {
        const text = readFileSync(file, 'utf8');
        const where = posixRel(EXAMPLE, file);
        expect(text.endsWith('\n'), `${where} must end with a newline`).toBe(true);
        const lines = text.slice(0, -1).split('\n');
        expect(lines.length, `${where}: points`).toBeGreaterThanOrEqual(10);
        let lastStep = -Infinity;
        lines.forEach((line, i) => {
          const fields = line.split(' ');
          expect(fields, `${where}:${i + 1} '${line}'`).toHaveLength(3);
          const [ts, value, step] = fields as [string, string, string];
          expect(/^\d+$/.test(ts) && METRIC_VALUE.test(value) && /^-?\d+$/.test(step), `${where}:${i + 1} '${line}'`).toBe(true);
          expect(Number(step), `${where}:${i + 1}: steps increase`).toBeGreaterThan(lastStep);
          lastStep = Number(step);
        });
      }
    }
  });

  it('params and tags are raw text without a trailing newline, as MLflow writes them', () => {
    for (const run of runs) {
      for (const file of [...filesUnder(join(run, 'params')), ...filesUnder(join(run, 'tags'))]) {
        expect(readFileSync(file, 'utf8').endsWith('\n'), posixRel(EXAMPLE, file)).toBe(false);
      }
    }
  });

  it('carries what the recommended preset asks on Staging: data_version, author, purpose, a git commit, random_seed', () => {
    for (const run of runs) {
      for (const tag of ['data_version', 'author', 'purpose', 'mlflow.runName', 'mlflow.user']) {
        expect(readFileSync(join(run, 'tags', tag), 'utf8').length, `${run}: tag ${tag}`).toBeGreaterThan(0);
      }
      expect(readFileSync(join(run, 'tags', 'mlflow.source.git.commit'), 'utf8'), run).toMatch(/^[0-9a-f]{40}$/);
      expect(readFileSync(join(run, 'params', 'random_seed'), 'utf8'), run).toMatch(/^\d+$/);
    }
  });

  it('every MLmodel parses as YAML and its signature inputs/outputs are JSON strings of column or tensor specs', () => {
    const mlmodels = filesUnder(at('mlruns')).filter((f) => f.endsWith(`${sep}MLmodel`));
    expect(mlmodels.length).toBe(runs.length);
    for (const file of mlmodels) {
      const doc = parse(readFileSync(file, 'utf8')) as { run_id?: string; signature?: { inputs?: unknown; outputs?: unknown } };
      expect(typeof doc.signature?.inputs, file).toBe('string');
      expect(typeof doc.signature?.outputs, file).toBe('string');
      const inputs = JSON.parse(doc.signature!.inputs as string) as { type: string; name?: string; required?: boolean }[];
      const outputs = JSON.parse(doc.signature!.outputs as string) as unknown[];
      expect(Array.isArray(inputs) && inputs.length > 0, file).toBe(true);
      expect(Array.isArray(outputs) && outputs.length > 0, file).toBe(true);
      for (const col of inputs) expect(typeof col.name === 'string' && typeof col.type === 'string', `${file}: ${JSON.stringify(col)}`).toBe(true);
      // The MLmodel belongs to the run it sits in.
      expect(file.split(sep)).toContain(doc.run_id);
    }
  });

  it('mlflow.log-model.history is a JSON array whose signatures are again JSON strings', () => {
    for (const run of runs) {
      const history = JSON.parse(readFileSync(join(run, 'tags', 'mlflow.log-model.history'), 'utf8')) as { signature: { inputs: string } }[];
      expect(history.length, run).toBeGreaterThan(0);
      expect(Array.isArray(JSON.parse(history[0]!.signature.inputs)), run).toBe(true);
    }
  });
});

describe('examples/churn: W&B and portable JSON runs', () => {
  it('W&B run dirs have the three files of a synced run, in the core format', () => {
    const dirs = readdirSync(at('wandb')).filter((d) => /^run-\d{8}_\d{6}-[a-z0-9]{8}$/.test(d));
    expect(dirs.length).toBeGreaterThanOrEqual(1);
    for (const d of dirs) {
      const files = at('wandb', d, 'files');
      const config = parse(readFileSync(join(files, 'config.yaml'), 'utf8')) as Record<string, { value?: unknown }>;
      expect(config._wandb?.value, d).toBeDefined();
      expect(Object.keys(config).filter((k) => k !== '_wandb').every((k) => 'value' in config[k]!), `${d}: every key wraps a value`).toBe(true);
      const summary = JSON.parse(readFileSync(join(files, 'wandb-summary.json'), 'utf8')) as Record<string, unknown>;
      expect(Object.keys(summary).some((k) => !k.startsWith('_') && typeof summary[k] === 'number'), d).toBe(true);
      const metadata = JSON.parse(readFileSync(join(files, 'wandb-metadata.json'), 'utf8')) as { git?: { commit?: string } };
      expect(metadata.git?.commit, d).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it('portable run records have a run_id, string params and tags, numeric metrics and signature arrays', () => {
    const records = readdirSync(at('runs')).filter((f) => f.endsWith('.json'));
    expect(records.length).toBeGreaterThanOrEqual(2);
    for (const f of records) {
      const rec = JSON.parse(readFileSync(at('runs', f), 'utf8')) as Record<string, unknown> & {
        params: Record<string, unknown>;
        tags: Record<string, unknown>;
        metrics: Record<string, unknown>;
        metric_history: Record<string, { step: number; value: number; timestamp: number }[]>;
        signature: { inputs: unknown; outputs: unknown };
      };
      expect(typeof rec.run_id, f).toBe('string');
      expect(f, 'file name is the run id').toBe(`${rec.run_id as string}.json`);
      expect(Object.values(rec.params).every((v) => typeof v === 'string'), f).toBe(true);
      expect(Object.values(rec.tags).every((v) => typeof v === 'string'), f).toBe(true);
      expect(Object.values(rec.metrics).every((v) => typeof v === 'number'), f).toBe(true);
      expect(Array.isArray(rec.signature.inputs) && Array.isArray(rec.signature.outputs), f).toBe(true);
      for (const [name, points] of Object.entries(rec.metric_history)) {
        // `metrics` holds the latest value: the history's last point.
        expect(points.at(-1)!.value, `${f}: ${name}`).toBe(rec.metrics[name]);
      }
    }
  });
});

describe('examples/churn: manifests', () => {
  it('config, manifests and policies are YAML documents of the right kind', () => {
    expect(parse(readFileSync(at('modelgate.yaml'), 'utf8'))).toEqual({ registry: 'registry', policies: 'policies', audit: 'audit' });
    for (const f of readdirSync(at('policies'))) {
      const doc = parse(readFileSync(at('policies', f), 'utf8')) as { apiVersion?: string; kind?: string; waivers?: { expires: unknown }[] };
      expect([doc.apiVersion, doc.kind], f).toEqual(['modelgate/v1', 'Policy']);
      // An unquoted date stays a string under YAML 1.2 (what modelgate reads with).
      for (const w of doc.waivers ?? []) expect(typeof w.expires, f).toBe('string');
    }
    for (const { file, manifest } of manifests()) expect((manifest as unknown as { kind?: string }).kind, file).toBe('Model');
  });

  it('every run reference resolves to an MLflow run, a W&B run dir or a JSON record in the example', () => {
    for (const { file, manifest } of manifests()) {
      expect(manifest.name, file).toBe(file.replace(/^registry\//, '').replace(/\.yaml$/, ''));
      for (const v of manifest.versions) {
        const ok = existsSync(at(v.run, 'meta.yaml')) || existsSync(at(v.run, 'files', 'config.yaml')) || (v.run.endsWith('.json') && existsSync(at(v.run)));
        expect(ok, `${file} v${v.version}: run ${v.run}`).toBe(true);
      }
    }
  });

  it('every digest equals the SPEC section 6 digest of the artifact it names', () => {
    let checked = 0;
    for (const { file, manifest } of manifests()) {
      // A snapshot's model stays on its tracking server (mlflow-artifacts:/): hashed through the server at register time.
      const remote = (x: { artifact?: string }) => /^[a-z][a-z0-9+.-]*:/.test(x.artifact ?? '');
      for (const v of manifest.versions.filter((x) => x.digest !== undefined && remote(x))) {
        const snapshot = JSON.parse(readFileSync(at(v.run), 'utf8')) as { source?: { tracker?: string } };
        expect(snapshot.source?.tracker, `${file} v${v.version}: a remote artifact belongs to a tracking-server snapshot`).toBe('mlflow');
      }
      for (const v of manifest.versions.filter((x) => x.digest !== undefined && !remote(x))) {
        const artifact = localArtifact(v);
        expect(artifact, `${file} v${v.version} has a digest but no local artifact`).toBeDefined();
        expect(digestOf(at(artifact!)), `${file} v${v.version}: ${artifact}`).toBe(v.digest);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  it('holds at most one Production version per model, and aliases point at existing versions', () => {
    for (const { file, manifest } of manifests()) {
      expect(manifest.versions.filter((v) => v.stage === 'Production').length, file).toBeLessThanOrEqual(1);
      for (const [alias, version] of Object.entries(manifest.aliases ?? {})) {
        expect(manifest.versions.some((v) => v.version === version), `${file}: alias ${alias}`).toBe(true);
      }
    }
  });

  it('keeps the demo story: champion v3 in Production, v4 in Staging, v5 registered only', () => {
    const churn = manifests().find((m) => m.manifest.name === 'churn-predictor')!.manifest;
    const stageOf = (n: number) => churn.versions.find((v) => v.version === n)?.stage;
    expect([stageOf(3), stageOf(4), stageOf(5)]).toEqual(['Production', 'Staging', 'None']);
    expect(churn.aliases?.champion).toBe(3);
  });

  it('commits no audit logs: the demo creates them by running the tool', () => {
    expect(existsSync(at('audit'))).toBe(false);
  });
});
