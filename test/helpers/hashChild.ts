/**
 * Child-process entry for memory and throughput measurements: digests one s3:// URI with the
 * real code path (digestArtifact → S3 adapter) and prints one JSON line:
 * `{ digest, bytes, ms, maxRssMb }`. S3 settings come from the environment, as for the CLI.
 */
import { digestArtifact } from '../../src/artifacts/digest';
import type { FileSource } from '../../src/storage/types';

const refuse = (): Promise<never> => Promise.reject(new Error('an s3:// artifact never reads the repository'));
const noRepo: FileSource = { describe: (p) => p, stat: refuse, readBytes: refuse, list: refuse, openStream: refuse };

const uri = process.argv[2];
if (!uri) throw new Error('usage: hashChild <s3://bucket/key>');
const started = performance.now();
const d = await digestArtifact(uri, { repoSource: noRepo, env: process.env, interactive: false, onProgress: (t) => process.stderr.write(`${t}\n`) });
const ms = performance.now() - started;
// maxRSS is the peak resident set of this process, in kilobytes.
process.stdout.write(`${JSON.stringify({ digest: d.digest, bytes: d.bytes, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
