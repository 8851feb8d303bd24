/**
 * SPEC section 7: a record's `policy` names the policy files that judged it (presets included)
 * and hashes them with the directory-digest rule, read from the state the policies came from.
 */
import { createHash } from 'node:crypto';
import type { LoadedPolicy } from '../policy/types';
import type { FileSource } from '../storage/types';

/** SPEC 7: `policy.digest` hashes the policy files used, with the directory-digest rule. */
export async function policyDigest(state: Pick<FileSource, 'readBytes'>, applying: LoadedPolicy[]): Promise<{ files: string[]; digest: string }> {
  const files = [...new Set(applying.flatMap((p) => p.sources))].sort();
  const lines: string[] = [];
  for (const f of [...files].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))) {
    const bytes = (await state.readBytes(f)) ?? (await presetBytes(f));
    lines.push(`${createHash('sha256').update(bytes ?? new Uint8Array()).digest('hex')}  ${f}\n`);
  }
  return { files, digest: 'sha256:' + createHash('sha256').update(lines.join('')).digest('hex') };
}

async function presetBytes(source: string): Promise<Uint8Array | undefined> {
  const { presetText } = await import('../policy/presets');
  const t = presetText(source);
  return t === undefined ? undefined : new TextEncoder().encode(t);
}

