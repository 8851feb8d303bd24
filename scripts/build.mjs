// Bundles the CLI and the Action into dist/. Heavy dependencies (AWS SDK, octokit) are reached
// through dynamic import() so esbuild splits them into chunks that load only when needed:
// `modelgate --version` and a local `check` never pay their start-up cost.
import { build } from 'esbuild';
import { rmSync, readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import standaloneCode from 'ajv/dist/standalone/index.js';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
// `--outdir DIR` builds elsewhere (parallel test runs each use their own); default dist/.
const at = process.argv.indexOf('--outdir');
const outdir = at > 0 ? process.argv[at + 1] : 'dist';

/** `import text from './x.yaml?raw'` (as vitest/vite understand it): the file's text, bundled. */
const rawText = {
  name: 'raw-text',
  setup(b) {
    // The path is kept relative to the project: esbuild prints it in the bundle, and dist/ must
    // come out byte for byte the same from any checkout (npm test compares it with the committed one).
    b.onResolve({ filter: /\?raw$/ }, (args) => ({
      path: relative(process.cwd(), resolve(args.resolveDir, args.path.slice(0, -'?raw'.length))).split(sep).join('/'),
      namespace: 'raw-text',
    }));
    b.onLoad({ filter: /.*/, namespace: 'raw-text' }, (args) => ({ contents: readFileSync(resolve(process.cwd(), args.path), 'utf8'), loader: 'text' }));
  },
};

/**
 * src/schema/precompiled.ts, replaced by ajv's standalone code for every schema in schemas/,
 * compiled with the options the run-time path uses (schemas/ajv-options.json). Start-up then
 * skips schema compilation, which was most of a small command's run time.
 */
const precompiledSchemas = {
  name: 'precompiled-schemas',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]schema[\\/]precompiled\.ts$/ }, () => {
      const options = JSON.parse(readFileSync('schemas/ajv-options.json', 'utf8'));
      const ajv = addFormats(new Ajv({ ...options, code: { source: true, esm: true } }));
      const ids = {};
      for (const name of ['manifest', 'policy', 'config', 'run']) {
        const schema = JSON.parse(readFileSync(`schemas/${name}.schema.json`, 'utf8'));
        ajv.addSchema(schema);
        ids[name] = schema.$id;
      }
      const table = Object.entries(ids).map(([name, id]) => `${JSON.stringify(id)}: ${name}`).join(', ');
      return { contents: `${standaloneCode(ajv, ids)}\nexport const precompiled = { ${table} };\n`, loader: 'js', resolveDir: 'src/schema' };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli/bin.ts', action: 'src/action/main.ts', 'audit-verify-worker': 'src/commands/auditVerifyWorker.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [rawText, precompiledSchemas],
  define: { __MODELGATE_VERSION__: JSON.stringify(version) },
  // CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);",
  },
});
