/**
 * An `mlflow-artifacts:/…` artifact as a tree of files read through the tracking server's
 * proxy (SPEC section 6): the same digest rule as a directory or an S3 prefix, every file
 * streamed. A URI naming a file is a file; one naming a directory lists it (recursively).
 */
import type { ArtifactFile, ArtifactTree } from './digest';
import { EnvironmentError } from '../errors';
import { sha256OfStream, tooManyFiles } from './digest';
import { artifactPath, type MlflowClient } from '../mlflow/client';

/** `cap`: most files one artifact may have (the same rule as a directory or an S3 prefix: past it, an input error). */
export async function mlflowArtifactTree(client: MlflowClient, uri: string, cap: number): Promise<ArtifactTree> {
  const root = artifactPath(uri);
  const listing = await client.listArtifacts(uri);
  if (listing === undefined || listing.length === 0) {
    // Not a directory (or an empty one): a file, when the server can send it.
    const res = await client.downloadArtifact(uri);
    if (!res) return { kind: 'missing' };
    await res.body?.cancel().catch(() => {});
    const name = root.split('/').pop()!;
    return { kind: 'file', file: remoteFile(client, `mlflow-artifacts:/${root}`, name, Number(res.headers.get('content-length') ?? 0)) };
  }
  const files: ArtifactFile[] = [];
  const dirs: string[] = [''];
  while (dirs.length) {
    const rel = dirs.shift()!;
    const entries = rel === '' ? listing : ((await client.listArtifacts(`mlflow-artifacts:/${root}/${rel}`)) ?? []);
    for (const e of entries) {
      // The proxy lists names relative to the directory asked for.
      const name = e.path.split('/').pop()!;
      const path = rel === '' ? name : `${rel}/${name}`;
      if (e.is_dir) dirs.push(path);
      else files.push(remoteFile(client, `mlflow-artifacts:/${root}/${path}`, path, e.file_size ?? 0));
      if (files.length > cap) throw tooManyFiles(uri, cap);
    }
  }
  return { kind: 'dir', files };
}

function remoteFile(client: MlflowClient, uri: string, path: string, size: number): ArtifactFile {
  return {
    path,
    size,
    async sha256(progress) {
      const res = await client.downloadArtifact(uri);
      if (!res?.body) throw new EnvironmentError(`artifact file ${uri} was listed by the tracking server but could not be downloaded`, { hint: 're-run; if it persists, check the server\'s artifact store' });
      return sha256OfStream(res.body as unknown as AsyncIterable<Uint8Array>, (n) => progress.add(n));
    },
  };
}
