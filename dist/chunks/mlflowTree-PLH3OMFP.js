import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  artifactPath
} from "./chunk-2UQMGH7H.js";
import {
  sha256OfStream,
  tooManyFiles
} from "./chunk-AKFKUSU4.js";
import "./chunk-JOPA73JY.js";
import {
  EnvironmentError
} from "./chunk-RTQ2UXCO.js";
import "./chunk-CCN2QAD7.js";

// src/artifacts/mlflowTree.ts
async function mlflowArtifactTree(client, uri, cap) {
  const root = artifactPath(uri);
  const listing = await client.listArtifacts(uri);
  if (listing === void 0 || listing.length === 0) {
    const res = await client.downloadArtifact(uri);
    if (!res) return { kind: "missing" };
    await res.body?.cancel().catch(() => {
    });
    const name = root.split("/").pop();
    return { kind: "file", file: remoteFile(client, `mlflow-artifacts:/${root}`, name, Number(res.headers.get("content-length") ?? 0)) };
  }
  const files = [];
  const dirs = [""];
  while (dirs.length) {
    const rel = dirs.shift();
    const entries = rel === "" ? listing : await client.listArtifacts(`mlflow-artifacts:/${root}/${rel}`) ?? [];
    for (const e of entries) {
      const name = e.path.split("/").pop();
      const path = rel === "" ? name : `${rel}/${name}`;
      if (e.is_dir) dirs.push(path);
      else files.push(remoteFile(client, `mlflow-artifacts:/${root}/${path}`, path, e.file_size ?? 0));
      if (files.length > cap) throw tooManyFiles(uri, cap);
    }
  }
  return { kind: "dir", files };
}
function remoteFile(client, uri, path, size) {
  return {
    path,
    size,
    async sha256(progress) {
      const res = await client.downloadArtifact(uri);
      if (!res?.body) throw new EnvironmentError(`artifact file ${uri} was listed by the tracking server but could not be downloaded`, { hint: "re-run; if it persists, check the server's artifact store" });
      return sha256OfStream(res.body, (n) => progress.add(n));
    }
  };
}
export {
  mlflowArtifactTree
};
