import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  parseServerRef,
  takeSnapshot
} from "./chunk-WH5TWHOG.js";
import {
  connectionFromEnv
} from "./chunk-ILASVY3E.js";
import {
  createMlflowClient,
  isMlflowArtifactsUri
} from "./chunk-2UQMGH7H.js";
import {
  isS3Uri
} from "./chunk-JOPA73JY.js";
import {
  EnvironmentError
} from "./chunk-RTQ2UXCO.js";

// src/mlflow/fromServer.ts
var MAX_MLMODEL_BYTES = 1 << 20;
async function snapshotFromServer(ref, env, now) {
  const parsed = parseServerRef(ref);
  const client = await createMlflowClient(connectionFromEnv(env));
  return takeSnapshot(client, parsed, { now, readMlmodel: mlmodelReader(client, env) });
}
function mlmodelReader(client, env) {
  return async (uri) => {
    const file = `${uri.replace(/\/+$/, "")}/MLmodel`;
    if (isMlflowArtifactsUri(uri)) {
      const res = await client.downloadArtifact(file);
      if (!res) return void 0;
      const bytes = await res.arrayBuffer();
      if (bytes.byteLength > MAX_MLMODEL_BYTES) throw new EnvironmentError(`${file} is larger than 1 MiB: not an MLmodel file`);
      return new TextDecoder().decode(bytes);
    }
    if (isS3Uri(uri)) {
      const [{ S3FileSource, createS3Client }, { readSourceText }] = await Promise.all([import("./s3-K5STBPOH.js"), import("./sourceText-O42O2IV6.js")]);
      const s3 = createS3Client(env);
      try {
        return await readSourceText(new S3FileSource(s3, uri), "MLmodel");
      } finally {
        s3.destroy();
      }
    }
    return void 0;
  };
}

export {
  snapshotFromServer,
  mlmodelReader
};
