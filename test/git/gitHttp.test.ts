import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clone, makeBareRemote, makeRepo, type BareRemote, type TestRepo } from '../helpers/git';
import { startGitHttpServer, type GitHttpServer } from '../helpers/gitHttp';

const run = promisify(execFile);

function gitWithInput(cwd: string, args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', args, { cwd }, (err) => (err ? reject(err) : resolve()));
    child.stdin!.end(input);
  });
}
const TOKEN = 'ghs_s3cretT0ken';

describe('test git HTTP server', () => {
  let remote: BareRemote;
  let server: GitHttpServer;
  const repos: TestRepo[] = [];

  beforeAll(async () => {
    remote = await makeBareRemote();
    server = await startGitHttpServer({ root: remote.root, token: TOKEN });
    const seed = await makeRepo({ 'README.md': 'hello\n' });
    repos.push(seed);
    await seed.git(['push', '-q', remote.dir, 'main']);
  });
  afterAll(async () => {
    await server.stop();
    await Promise.all([remote.cleanup(), ...repos.map((r) => r.cleanup())]);
  });

  it('clones with the token and accepts a push', async () => {
    const a = await clone(server.url(remote.name, TOKEN));
    repos.push(a);
    // Big enough that git gzips the request body.
    await a.write('big.txt', 'x'.repeat(2_000_000) + Math.random());
    const sha = await a.commitAll('add a big file');
    await a.git(['push', '-q', 'origin', 'main']);
    expect((await remote.git(['rev-parse', 'main'])).trim()).toBe(sha);
  });

  it('serves a fetch whose negotiation body git gzips (many local commits to tell the server about)', async () => {
    const a = await clone(server.url(remote.name, TOKEN));
    repos.push(a);
    // 200 local commits in one fast-import process: the "have" lines exceed 1 KiB, so git gzips the POST.
    const parent = (await a.git(['rev-parse', 'HEAD'])).trim();
    const now = Math.floor(Date.now() / 1000); // newer than the shared commit, so git sends them all as "have"
    let stream = '';
    for (let i = 0; i < 200; i++) {
      stream += `commit refs/heads/local\ncommitter T <t@e> ${now + i} +0000\ndata ${`c${i}`.length}\nc${i}\n${i === 0 ? `from ${parent}\n` : ''}\n`;
    }
    await gitWithInput(a.dir, ['fast-import', '--quiet'], stream);
    const other = await clone(server.url(remote.name, TOKEN));
    repos.push(other);
    const tip = await other.commitAll('moved on');
    await other.git(['push', '-q', 'origin', 'main']);
    await a.git(['fetch', '-q', 'origin']);
    expect((await a.git(['rev-parse', 'origin/main'])).trim()).toBe(tip);
  });

  it('refuses a wrong token with exit 128, and git does not print the token', async () => {
    const err = await run('git', ['ls-remote', server.url(remote.name, 'wrong-' + TOKEN)]).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 128 });
    const stderr = (err as { stderr: string }).stderr;
    expect(stderr).toMatch(/Authentication failed/);
    expect(stderr).not.toContain(TOKEN);
  });
});
