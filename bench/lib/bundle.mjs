// The product's modules for the in-process figures, bundled from src/ with the settings
// scripts/build.mjs uses for dist/ (ESM, node20, one file), rebuilt on every run.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

export async function bundleProduct(workDir) {
  const outdir = join(workDir, 'probe');
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, 'product.mjs');
  await build({
    entryPoints: [join(HERE, '..', 'probes', 'product.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    legalComments: 'none',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);" },
  });
  return outfile;
}
