/** Registry manifests: `registry/<model>.yaml` (SPEC section 2). */

export const STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
export type Stage = (typeof STAGES)[number];

export const MODEL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface ModelVersion {
  version: number;
  run: string;
  artifact?: string;
  digest?: string;
  /** Digest of the run's evidence files (SPEC section 6): what the version was judged on. */
  evidence?: string;
  stage: Stage;
}

export interface Manifest {
  name: string;
  owner?: string;
  description?: string;
  riskTier?: string;
  intendedUse?: string;
  /** The MLflow registered model (`sync mlflow`, `import mlflow`), when its name is not `name` (SPEC section 9). */
  mlflow?: { name?: string };
  versions: ModelVersion[];
  /** alias -> version */
  aliases: Record<string, number>;
}

/** A manifest as loaded from a file, with where things are (for annotations and messages). */
export interface LoadedManifest {
  /** Repo-relative path, e.g. `registry/churn.yaml`. */
  file: string;
  manifest: Manifest;
  /** 1-based line of each version's `- version:` entry, by version number. */
  versionLines: Map<number, number>;
  /** 1-based line of each version's `stage:` key, by version number. */
  stageLines: Map<number, number>;
  /** 1-based line of each alias entry. */
  aliasLines: Map<string, number>;
}
