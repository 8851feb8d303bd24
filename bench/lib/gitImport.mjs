// Writes commits straight into a repository with one `git fast-import` process: millions of
// small files become one pack in a minute, where `git add` would write millions of loose objects.
import { spawn, execFile } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Git without the host's global or system configuration (signing, hooks, templates). */
export function hermeticGitEnv(extra = {}) {
  return { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...extra };
}

export async function git(cwd, args, opts = {}) {
  const r = await run('git', args, { cwd, env: hermeticGitEnv(), maxBuffer: 256 * 1024 * 1024, ...opts });
  return r.stdout;
}

const IDENT = 'Bench Generator <bench@example.com>';
const FLUSH_BYTES = 1 << 20;

export class FastImport {
  /** @param {string} dir an initialized repository */
  constructor(dir) {
    this.child = spawn('git', ['-c', 'pack.compression=1', '-c', 'core.compression=1', 'fast-import', '--quiet', '--done'], {
      cwd: dir,
      env: hermeticGitEnv(),
      stdio: ['pipe', 'inherit', 'pipe'],
    });
    this.stderr = '';
    this.child.stderr.on('data', (b) => (this.stderr += b));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
    this.parts = [];
    this.pending = 0;
    this.mark = 0;
  }

  async write(data) {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    this.parts.push(buf);
    this.pending += buf.length;
    if (this.pending >= FLUSH_BYTES) await this.flush();
  }

  async flush() {
    if (this.pending === 0) return;
    const chunk = Buffer.concat(this.parts, this.pending);
    this.parts = [];
    this.pending = 0;
    if (!this.child.stdin.write(chunk)) await Promise.race([once(this.child.stdin, 'drain'), this.exited.then((c) => Promise.reject(new Error(`git fast-import exited (${c}): ${this.stderr}`)))]);
  }

  /**
   * One commit on `ref`. `files` yields [path, content] pairs (inline blobs); `from` names the
   * parent when it is not the ref's current tip (a branch started from another).
   * @param {{ ref: string, message: string, time: number, from?: string, deleteAll?: boolean, files: Iterable<[string, string|Buffer]> | AsyncIterable<[string, string|Buffer]> }} c
   * @returns {Promise<string>} the commit's mark (`:N`)
   */
  async commit(c) {
    const mark = `:${++this.mark}`;
    const when = `${Math.floor(c.time / 1000)} +0000`;
    const msg = Buffer.from(c.message, 'utf8');
    await this.write(`commit ${c.ref}\nmark ${mark}\nauthor ${IDENT} ${when}\ncommitter ${IDENT} ${when}\ndata ${msg.length}\n`);
    await this.write(msg);
    await this.write('\n');
    if (c.from) await this.write(`from ${c.from}\n`);
    if (c.deleteAll) await this.write('deleteall\n');
    for await (const [path, content] of c.files) {
      const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      await this.write(`M 100644 inline ${path}\ndata ${body.length}\n`);
      await this.write(body);
      await this.write('\n');
    }
    await this.write('\n');
    return mark;
  }

  async done() {
    await this.write('done\n');
    await this.flush();
    this.child.stdin.end();
    const code = await this.exited;
    if (code !== 0) throw new Error(`git fast-import failed (${code}): ${this.stderr}`);
  }
}
