import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  MAX_DOCUMENT_BYTES
} from "./chunk-HYWAOBHT.js";
import {
  InputError
} from "./chunk-RTQ2UXCO.js";

// src/runs/sourceText.ts
var utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
async function readSourceText(source, path, knownSize) {
  let size = knownSize;
  if (size === void 0) {
    const st = await source.stat(path);
    if (!st) return void 0;
    if (st.type !== "file") {
      throw new InputError("is a directory, not a file", { location: { file: source.describe(path) }, hint: "name a file here" });
    }
    size = st.size;
  }
  if (size > MAX_DOCUMENT_BYTES) throw tooLarge(source, path);
  const bytes = await source.readBytes(path);
  if (bytes === void 0) return void 0;
  if (bytes.byteLength > MAX_DOCUMENT_BYTES) throw tooLarge(source, path);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new InputError("file is not valid UTF-8 text", {
      location: { file: source.describe(path) },
      hint: "run metadata files are UTF-8 text; check that this is the file you meant"
    });
  }
}
function tooLarge(source, path) {
  return new InputError(`file is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB`, {
    location: { file: source.describe(path) },
    hint: "modelgate refuses oversized metadata files; check that this is the file you meant"
  });
}
function childPath(dir, ...names) {
  return [dir, ...names].filter((p) => p !== "").join("/");
}
function parentPath(path) {
  if (path === "") return void 0;
  const i = path.lastIndexOf("/");
  return i === -1 ? "" : path.slice(0, i);
}
function baseName(path) {
  return path.slice(path.lastIndexOf("/") + 1);
}

export {
  readSourceText,
  childPath,
  parentPath,
  baseName
};
