/** MLFLOW_TRACKING_INSECURE_TLS and MLFLOW_TRACKING_SERVER_CERT_PATH against a real HTTPS server with a self-signed certificate. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionFromEnv } from '../../src/mlflow/connection';
import { createMlflowClient } from '../../src/mlflow/client';

let dir: string;
let server: Server;
let url: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mg-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ run: { info: { run_id: 'r1', experiment_id: '1', status: 'FINISHED' }, data: {} } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server?.closeAllConnections();
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const base = () => ({ MLFLOW_TRACKING_URI: url, MODELGATE_MLFLOW_ATTEMPTS: '1' });

describe('TLS settings', () => {
  it('an unverifiable certificate is refused by default (exit 3)', async () => {
    const c = await createMlflowClient(connectionFromEnv(base()));
    const err = (await c.getRun('r1').catch((e: unknown) => e)) as { exitCode?: number };
    expect(err.exitCode).toBe(3);
  });
  it('MLFLOW_TRACKING_INSECURE_TLS=true skips verification', async () => {
    const c = await createMlflowClient(connectionFromEnv({ ...base(), MLFLOW_TRACKING_INSECURE_TLS: 'true' }));
    expect((await c.getRun('r1'))?.info.run_id).toBe('r1');
  });
  it('MLFLOW_TRACKING_SERVER_CERT_PATH trusts that certificate', async () => {
    const c = await createMlflowClient(connectionFromEnv({ ...base(), MLFLOW_TRACKING_SERVER_CERT_PATH: join(dir, 'cert.pem') }));
    expect((await c.getRun('r1'))?.info.run_id).toBe('r1');
  });
});
