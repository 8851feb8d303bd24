'use strict';
/**
 * Runs s3rver for test/helpers/s3.ts in a child process started with
 * `--openssl-legacy-provider`: s3rver 3.x encrypts ListObjectsV2 continuation tokens with DES,
 * which OpenSSL 3 only offers through the legacy provider, and Node enables that provider only
 * at start-up. Without it every truncated listing (MaxKeys, >1000 keys) is a 500.
 *
 * Also corrects one s3rver deviation from S3: a delimited listing omits a common prefix whose
 * objects all sit two or more levels down (`metrics/a/b` under `metrics/`), because its walk
 * prunes those directories before seeing a key. S3 returns such prefixes; MLflow runs have them.
 *
 * argv[2]: JSON { directory, buckets, lifetimeMs }. Sends { port } over IPC once listening;
 * exits on 'stop', when the parent goes away, or after lifetimeMs.
 */
const S3rver = require('s3rver');
const FilesystemStore = require('s3rver/lib/stores/filesystem');

const originalList = FilesystemStore.prototype.listObjects;
FilesystemStore.prototype.listObjects = async function listObjects(bucket, options) {
  const { delimiter = '', prefix = '', maxKeys = Infinity } = options;
  if (!delimiter) return originalList.call(this, bucket, options);
  const all = await originalList.call(this, bucket, { ...options, delimiter: '', maxKeys: Infinity });
  const objects = [];
  const commonPrefixes = new Set();
  for (const object of all.objects) {
    const rest = object.key.slice(prefix.length);
    const i = rest.indexOf(delimiter);
    if (i === -1) objects.push(object);
    else commonPrefixes.add(prefix + rest.slice(0, i + delimiter.length));
  }
  return {
    objects: objects.slice(0, maxKeys),
    commonPrefixes: [...commonPrefixes].sort(),
    isTruncated: objects.length > maxKeys,
  };
};

const config = JSON.parse(process.argv[2]);
const server = new S3rver({
  port: 0,
  address: '127.0.0.1',
  directory: config.directory,
  silent: true,
  configureBuckets: config.buckets.map((name) => ({ name })),
});

function stop() {
  if (server.httpServer) server.httpServer.closeAllConnections();
  server.close().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}

process.on('message', (m) => {
  if (m === 'stop') stop();
});
process.on('disconnect', () => process.exit(0));
setTimeout(stop, config.lifetimeMs).unref();

server.run().then(
  (address) => process.send({ port: address.port }),
  (err) => {
    process.stderr.write(String(err && err.stack ? err.stack : err));
    process.exit(1);
  },
);
