/**
 * Loads a registry manifest (`registry/<model>.yaml`, SPEC section 2): YAML with positions, the
 * JSON Schema, then the invariants the schema cannot express. Every problem in the file is
 * reported at once, each with file, line, column and JSON path.
 */
import { posix } from 'node:path';
import manifestSchema from '../../schemas/manifest.schema.json';
import { InputError, InputErrors } from '../errors';
import { parseYaml, type ParsedDocument, type PathSegment } from '../schema/document';
import { schemaErrors, type JsonSchema } from '../schema/validate';
import { MAX_PATH_LENGTH, isS3Uri, isMlflowArtifactsUri, normalizeRepoPath, parseS3Uri } from '../storage/paths';
import type { LoadedManifest, Manifest, ModelVersion } from './types';

/** Nothing but a byte-order mark and whitespace (tested without copying the text). */
const BLANK = /^\uFEFF?\s*$/;

const SCHEMA = manifestSchema as JsonSchema;

/** Alias names: the same alphabet `promote --to @alias` accepts. */
export const ALIAS_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Artifact digests (SPEC section 6); the schema holds the same pattern. */
export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

export interface LoadManifestOptions {
  /**
   * Two versions in Production are an input error (default). `check` passes false: there the
   * policy engine judges the change that leaves two as `transition.single-production`.
   */
  singleProduction?: boolean;
}

export function loadManifest(text: string, file: string, opts: LoadManifestOptions = {}): LoadedManifest {
  if (BLANK.test(text)) throw emptyManifest(file);
  const doc = parseYaml(text, file);
  if (doc.value === null || doc.value === undefined) throw emptyManifest(file);
  const errors = schemaErrors(SCHEMA, doc);
  errors.push(...invariantErrors(doc, opts.singleProduction ?? true));
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new InputErrors(errors);
  return located(doc, build(doc.value as RawManifest));
}

function emptyManifest(file: string): InputError {
  return new InputError(`empty manifest: ${file} has no content`, {
    location: { file, line: 1, column: 1 },
    hint: 'write apiVersion: modelgate/v1, kind: Model, name: <model> and versions: [] (or delete the file)',
  });
}

/** The shape the schema guarantees (checked before build() runs): `aliases` may be absent. */
type RawManifest = Omit<Manifest, 'aliases'> & { aliases?: Manifest['aliases'] };

/** The name a manifest file must declare: its base name without `.yaml`. */
export function modelNameOfFile(file: string): string {
  return posix.basename(file).replace(/\.ya?ml$/, '');
}

/**
 * A path that normalizeRepoPath would return unchanged: plain segments that start with a letter,
 * digit or `_` (so never `.`, `..` or empty), no scheme, no backslash. One precompiled test
 * instead of the full check keeps loading 100-version manifests close to the cost of parsing.
 */
const PLAIN_REPO_PATH = /^[A-Za-z0-9_][A-Za-z0-9._=+@-]*(?:\/[A-Za-z0-9_][A-Za-z0-9._=+@-]*)*$/;

/** A repo path is kept normalized (`./mlruns/1/` → `mlruns/1`); an S3 URI as written. */
export function normalizeReference(ref: string, what: string): string {
  if (ref.length <= MAX_PATH_LENGTH && PLAIN_REPO_PATH.test(ref)) return ref;
  if (isS3Uri(ref)) {
    parseS3Uri(ref);
    return ref;
  }
  if (isMlflowArtifactsUri(ref)) return ref;
  return normalizeRepoPath(ref, what);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isVersionNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1;
}

/**
 * Invariants beyond the schema. Each check guards its own types, so a file with schema errors
 * still gets every other problem reported in the same pass. Run and artifact references are
 * normalized in place as they are checked (one pass: this is the hot path of `validate`).
 */
function invariantErrors(doc: ParsedDocument, singleProduction: boolean): InputError[] {
  const value = doc.value;
  if (!isRecord(value)) return [];
  const errors: InputError[] = [];
  const at = (path: PathSegment[], key = false) => doc.locate(path, { key });

  const expected = modelNameOfFile(doc.file);
  if (typeof value.name === 'string' && value.name !== expected) {
    errors.push(
      new InputError(`name '${value.name}' does not match the file name '${posix.basename(doc.file)}'`, {
        location: at(['name']),
        hint: `rename the file to ${posix.join(posix.dirname(doc.file), `${value.name}.yaml`)}, or set name: ${expected}`,
      }),
    );
  }

  const known = new Set<number>();
  // Alias targets are judged only when every version number is readable (no cascading errors).
  let versionsReadable = Array.isArray(value.versions);
  if (Array.isArray(value.versions)) {
    const firstIndex = new Map<number, number>();
    const production: number[] = [];
    value.versions.forEach((item: unknown, i: number) => {
      if (!isRecord(item) || !isVersionNumber(item.version)) versionsReadable = false;
      if (!isRecord(item)) return;
      const v = item.version;
      if (isVersionNumber(v)) {
        const first = firstIndex.get(v);
        if (first !== undefined) {
          errors.push(
            new InputError(`version ${v} appears twice (first at line ${at(['versions', first]).line})`, {
              location: at(['versions', i, 'version']),
              hint: `version numbers are unique and never reused; give this one a new number or remove the duplicate`,
            }),
          );
        } else firstIndex.set(v, i);
        known.add(v);
      }
      for (const key of ['run', 'artifact'] as const) {
        const ref = item[key];
        if (typeof ref !== 'string' || ref === '') continue;
        try {
          item[key] = normalizeReference(ref, key); // kept normalized in the loaded manifest
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
          errors.push(new InputError(err.message, { location: at(['versions', i, key]), hint: err.hint }));
        }
      }
      if (item.stage === 'Production') production.push(i);
    });
    if (singleProduction && production.length > 1) {
      const versionOf = (i: number) => (value.versions as Record<string, unknown>[])[i]?.version;
      const [first, ...rest] = production;
      for (const i of rest) {
        errors.push(
          new InputError(`two versions are in Production: ${String(versionOf(first!))} (line ${at(['versions', first!, 'stage']).line}) and ${String(versionOf(i))}`, {
            location: at(['versions', i, 'stage']),
            hint: 'at most one version may be in Production; set the other to Archived (`modelgate promote` archives the previous one for you)',
          }),
        );
      }
    }
  }

  if (isRecord(value.aliases)) {
    const versions = [...known].sort((a, b) => a - b);
    for (const [alias, target] of Object.entries(value.aliases)) {
      if (!ALIAS_NAME_PATTERN.test(alias)) {
        errors.push(
          new InputError(`'${alias}' is not a valid alias name`, {
            location: at(['aliases', alias], true),
            hint: 'alias names use letters, digits, _ and - (at most 64), e.g. champion',
          }),
        );
      }
      if (isVersionNumber(target) && versionsReadable && !known.has(target)) {
        errors.push(
          new InputError(`alias '${alias}' points to version ${target}, which does not exist`, {
            location: at(['aliases', alias]),
            hint: versions.length ? `point it at one of the versions: ${versions.join(', ')}` : 'register a version first, or remove the alias',
          }),
        );
      }
    }
  }
  return errors;
}

/** The loaded manifest, from the parsed value (already checked, its references normalized). */
function build(raw: RawManifest): Manifest {
  const manifest: Manifest = { name: raw.name, versions: raw.versions, aliases: raw.aliases ?? {} };
  for (const key of ['owner', 'description', 'riskTier', 'intendedUse'] as const) {
    const v = raw[key];
    if (v !== undefined) manifest[key] = v;
  }
  if (raw.mlflow !== undefined) manifest.mlflow = { name: raw.mlflow.name };
  return manifest;
}

/** A version with its keys in the canonical order (version, run, artifact, digest, evidence, stage), only those present. */
export function versionOf(v: ModelVersion): ModelVersion {
  return {
    version: v.version,
    run: normalizeReference(v.run, 'run'),
    ...(v.artifact !== undefined ? { artifact: normalizeReference(v.artifact, 'artifact') } : {}),
    ...(v.digest !== undefined ? { digest: v.digest } : {}),
    ...(v.evidence !== undefined ? { evidence: v.evidence } : {}),
    stage: v.stage,
  };
}

/**
 * The manifest with its line maps. The maps are computed on first read: only annotations need
 * them, and `validate` over a large registry never reads them (locating every version would
 * cost a tenth of the parse). They are plain Maps, cached once computed.
 */
function located(doc: ParsedDocument, manifest: Manifest): LoadedManifest {
  const versions = manifest.versions.map((v) => v.version);
  const aliases = Object.keys(manifest.aliases);
  let lines: Pick<LoadedManifest, 'versionLines' | 'stageLines' | 'aliasLines'> | undefined;
  const compute = () => (lines ??= lineMaps(doc, versions, aliases));
  const out = { file: doc.file, manifest } as LoadedManifest;
  Object.defineProperties(out, {
    versionLines: { enumerable: true, get: () => compute().versionLines },
    stageLines: { enumerable: true, get: () => compute().stageLines },
    aliasLines: { enumerable: true, get: () => compute().aliasLines },
  });
  return out;
}

function lineMaps(doc: ParsedDocument, versions: number[], aliases: string[]): Pick<LoadedManifest, 'versionLines' | 'stageLines' | 'aliasLines'> {
  const versionLines = new Map<number, number>();
  const stageLines = new Map<number, number>();
  const aliasLines = new Map<string, number>();
  versions.forEach((v, i) => {
    versionLines.set(v, doc.locate(['versions', i]).line ?? 1);
    stageLines.set(v, doc.locate(['versions', i, 'stage'], { key: true }).line ?? 1);
  });
  for (const alias of aliases) aliasLines.set(alias, doc.locate(['aliases', alias], { key: true }).line ?? 1);
  return { versionLines, stageLines, aliasLines };
}
