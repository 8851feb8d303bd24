/**
 * The adapter between `register` and the tracking server: connection from MLflow's env, the
 * snapshot, and the MLmodel read from wherever the artifact store keeps it (through the
 * server's proxy for `mlflow-artifacts:/`, from S3 for `s3://`).
 */
import { EnvironmentError } from '../errors';
import { isS3Uri } from '../storage/paths';
import { connectionFromEnv } from './connection';
import { createMlflowClient, isMlflowArtifactsUri, type MlflowClient } from './client';
import { parseServerRef, takeSnapshot, type MlmodelReader, type Snapshot } from './snapshot';

type Env = Record<string, string | undefined>;

/** MLmodel files are small; a larger "MLmodel" is not one. */
const MAX_MLMODEL_BYTES = 1 << 20;

export async function snapshotFromServer(ref: string, env: Env, now: Date): Promise<Snapshot> {
  const parsed = parseServerRef(ref); // bad syntax is exit 2 before any network
  const client = await createMlflowClient(connectionFromEnv(env));
  return takeSnapshot(client, parsed, { now, readMlmodel: mlmodelReader(client, env) });
}

export function mlmodelReader(client: MlflowClient, env: Env): MlmodelReader {
  return async (uri) => {
    const file = `${uri.replace(/\/+$/, '')}/MLmodel`;
    if (isMlflowArtifactsUri(uri)) {
      const res = await client.downloadArtifact(file);
      if (!res) return undefined;
      const bytes = await res.arrayBuffer();
      if (bytes.byteLength > MAX_MLMODEL_BYTES) throw new EnvironmentError(`${file} is larger than 1 MiB: not an MLmodel file`);
      return new TextDecoder().decode(bytes);
    }
    if (isS3Uri(uri)) {
      const [{ S3FileSource, createS3Client }, { readSourceText }] = await Promise.all([import('../storage/s3'), import('../runs/sourceText')]);
      const s3 = createS3Client(env);
      try {
        return await readSourceText(new S3FileSource(s3, uri), 'MLmodel');
      } finally {
        s3.destroy();
      }
    }
    return undefined;
  };
}
