/**
 * git's object reader, for the states that read commits (repo/gitState.ts): one long-lived
 * `git cat-file --batch[-check] --follow-symlinks` per kind of question, and a separate
 * `git cat-file blob` for blobs too large to pass through it. Git is spawned here, in git/,
 * with the one locked environment (exec.ts gitEnv).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Socket } from 'node:net';
import { EnvironmentError } from '../errors';
import { printable } from '../storage/paths';
import { gitEnv, scrubUrl } from './exec';
// ---------------------------------------------------------------------------------------------
// One long-lived `git cat-file --batch[-check] --follow-symlinks` with a FIFO of requests.

export interface ObjectReply {
  kind: 'object';
  oid: string;
  type: string;
  size: number;
  /** Contents (batch mode, when not larger than the request's limit). */
  content: Buffer | undefined;
}

export type Reply =
  | ObjectReply
  | { kind: 'missing' }
  | { kind: 'outside'; target: string }
  | { kind: 'dangling' | 'loop' | 'notdir' };

interface Pending {
  spec: string;
  limit: number;
  resolve(r: Reply): void;
  reject(e: Error): void;
}

interface Body {
  /** Bytes still expected, including the LF that ends every body. */
  remaining: number;
  /** undefined when the bytes are read and dropped (over the request's limit). */
  parts: Buffer[] | undefined;
  finish(content: Buffer | undefined): Reply;
}

const SPECIAL = new Set(['symlink', 'dangling', 'loop', 'notdir']);

export class CatFile {
  alive = true;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly queue: Pending[] = [];
  private header: Buffer = Buffer.alloc(0);
  private body: Body | undefined;
  private stderr = '';

  constructor(
    root: string,
    private readonly withContent: boolean,
  ) {
    const mode = withContent ? '--batch' : '--batch-check';
    this.child = spawn('git', ['cat-file', mode, '--follow-symlinks'], { cwd: root, env: gitEnv({ cwd: root }), stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000);
    });
    this.child.stdin.on('error', () => undefined); // EPIPE when git died: reported by 'close'
    this.child.on('error', (err: NodeJS.ErrnoException) => {
      this.fail(
        err.code === 'ENOENT'
          ? new EnvironmentError('git is not installed (or not on PATH)', { hint: 'install git; modelgate reads the registry history with it' })
          : new EnvironmentError(`could not run git cat-file: ${err.message}`, { cause: err }),
      );
    });
    this.child.on('close', (code) => {
      this.fail(new EnvironmentError(`git cat-file ${mode} exited (${code ?? 'signal'}) while reading: ${scrubUrl(this.stderr.trim()) || 'no message'}`, {
        hint: 'check that the repository is a healthy git checkout (git fsck)',
      }));
    });
    // An idle reader must never keep node alive (a forgotten close()); see setRef.
    this.setRef(false);
  }

  request(spec: string, limit: number): Promise<Reply> {
    if (!this.alive) return Promise.reject(new EnvironmentError('git cat-file reader is closed'));
    return new Promise<Reply>((resolve, reject) => {
      this.queue.push({ spec, limit, resolve, reject });
      if (this.queue.length === 1) this.setRef(true);
      this.child.stdin.write(spec + '\n');
    });
  }

  /** No more requests; git answers those already sent, then exits. */
  end(): void {
    if (!this.alive) return;
    this.alive = false;
    this.child.stdin.end();
  }

  /** Waiting for answers keeps the event loop alive; idle pipes and the child do not. */
  private setRef(on: boolean): void {
    for (const h of [this.child, this.child.stdin, this.child.stdout, this.child.stderr] as unknown as Pick<Socket, 'ref' | 'unref'>[]) {
      if (on) h.ref?.();
      else h.unref?.();
    }
  }

  private onData(chunk: Buffer): void {
    let buf = chunk;
    while (buf.length > 0) {
      if (this.body) {
        const body = this.body;
        const take = Math.min(body.remaining, buf.length);
        body.parts?.push(buf.subarray(0, take));
        body.remaining -= take;
        buf = buf.subarray(take);
        if (body.remaining === 0) {
          this.body = undefined;
          const content = body.parts ? Buffer.concat(body.parts).subarray(0, -1) : undefined;
          this.settle(body.finish(content));
        }
        continue;
      }
      const nl = buf.indexOf(0x0a);
      if (nl === -1) {
        this.header = Buffer.concat([this.header, buf]);
        return;
      }
      const line = Buffer.concat([this.header, buf.subarray(0, nl)]).toString('utf8');
      this.header = Buffer.alloc(0);
      buf = buf.subarray(nl + 1);
      this.onHeader(line);
    }
  }

  private onHeader(line: string): void {
    const p = this.queue[0];
    if (!p) return this.protocolError(line);
    if (line === `${p.spec} missing` || line === `${p.spec} ambiguous`) return this.settle({ kind: 'missing' });
    const parts = line.split(' ');
    const size = Number(parts[1] ?? NaN);
    if (parts.length === 2 && SPECIAL.has(parts[0]!) && Number.isInteger(size)) {
      // `symlink <n>\n<target outside the tree>\n`, and the same shape for dangling/loop/notdir.
      const kind = parts[0]!;
      this.body = {
        remaining: size + 1,
        parts: [],
        finish: (content) =>
          kind === 'symlink' ? { kind: 'outside', target: content?.toString('utf8') ?? '' } : { kind: kind as 'dangling' | 'loop' | 'notdir' },
      };
      return;
    }
    const sizeOf = Number(parts[2] ?? NaN);
    if (parts.length === 3 && /^[0-9a-f]{40,64}$/.test(parts[0]!) && Number.isInteger(sizeOf)) {
      const reply: ObjectReply = { kind: 'object', oid: parts[0]!, type: parts[1]!, size: sizeOf, content: undefined };
      if (!this.withContent) return this.settle(reply);
      this.body = { remaining: sizeOf + 1, parts: sizeOf <= p.limit ? [] : undefined, finish: (content) => ({ ...reply, content }) };
      return;
    }
    this.protocolError(line);
  }

  private settle(reply: Reply): void {
    const p = this.queue.shift();
    if (this.queue.length === 0) this.setRef(false);
    p?.resolve(reply);
  }

  private protocolError(line: string): void {
    this.fail(new EnvironmentError(`unexpected answer from git cat-file: ${printable(line)}`, { hint: 'upgrade git (2.30 or newer)' }));
    this.child.kill();
  }

  private fail(err: Error): void {
    this.alive = false;
    for (const p of this.queue.splice(0)) p.reject(err);
    this.setRef(false);
  }
}

/** A large blob from its own `git cat-file blob`; the process ends when the stream is dropped. */
export async function* streamBlob(root: string, oid: string, file: string): AsyncGenerator<Uint8Array> {
  const child = spawn('git', ['cat-file', 'blob', oid], { cwd: root, env: gitEnv({ cwd: root }), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  const exited = new Promise<number | string>((resolve) => {
    child.on('error', (e) => resolve(e.message));
    child.on('close', (code) => resolve(code ?? 'signal'));
  });
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
    const code = await exited;
    if (code !== 0) {
      throw new EnvironmentError(`could not read ${file} from git (${code}): ${scrubUrl(stderr.trim())}`, { hint: 'run git fsck' });
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}

