/**
 * `run.source` (policy `run: { source: verified }`): a snapshotted run is re-fetched from its
 * tracking server and must still say what the snapshot says: params, tags, status, latest
 * metrics and signature. Each difference is named. A run without `source` fails (it was not
 * snapshotted); a server that cannot be asked ends the command with exit 3 (the loader's
 * EnvironmentError), never "allowed".
 */
import type { PlainRun, RunRecord, ServerRunView, SignatureState } from '../../runs/types';
import type { RuleInput } from './input';
import { runUnavailable } from './sources';
import { cannotEvaluate, fail, pass, type RawCheck } from './verdict';
import type { Loaded } from './sources';

const ID = 'run.source';
/** Differences named in one message; the rest are counted. */
const MAX_NAMED = 10;

export async function runSourceCheck(loaded: Loaded<RunRecord>, input: RuleInput): Promise<RawCheck> {
  if (!loaded.ok) return cannotEvaluate(ID, runUnavailable(loaded));
  const run = loaded.value;
  if (!run.source) {
    return fail(ID, `run ${run.ref} has no source: it is not a snapshot of a tracking-server run`, {
      expected: 'a snapshot taken by register --run runs:/<run_id> or models:/<name>/<version>',
    });
  }
  const server = await input.sources.serverRun(run);
  if (!server.ok) return cannotEvaluate(ID, server.message);
  const snapshot = await input.sources.plain(run);
  if (!snapshot.ok) return cannotEvaluate(ID, snapshot.message);
  const diffs = sourceDifferences(snapshot.value, server.value);
  const where = `${run.source.trackingUri} (run ${run.source.runId})`;
  if (diffs.length === 0) return pass(ID, `the snapshot ${run.ref} matches the run on ${where}`, { actual: run.source.runId });
  const named = diffs.slice(0, MAX_NAMED).join('; ');
  const more = diffs.length > MAX_NAMED ? `; and ${diffs.length - MAX_NAMED} more` : '';
  return fail(ID, `the snapshot ${run.ref} differs from the run on ${where}: ${named}${more}`, { actual: `${diffs.length} difference${diffs.length === 1 ? '' : 's'}` });
}

/** Every way the server's run differs from the snapshot, in a stable order. Pure. */
export function sourceDifferences(snap: PlainRun, server: ServerRunView): string[] {
  const out: string[] = [];
  if ((snap.status ?? '') !== (server.status ?? '')) out.push(`status is ${server.status ?? 'unset'} on the server, ${snap.status ?? 'unset'} in the snapshot`);
  out.push(...mapDifferences('param', snap.params, server.params, (v) => `'${v}'`));
  out.push(...mapDifferences('tag', snap.tags, server.tags, (v) => `'${v}'`));
  out.push(...mapDifferences('metric', snap.metrics, server.metrics, (v) => String(v), sameNumber));
  const a = signatureText(snap.signature);
  const b = signatureText(server.signature);
  if (a !== b) out.push(`the signature is ${describe(server.signature)} on the server, ${describe(snap.signature)} in the snapshot`);
  return out;
}

function mapDifferences<T>(what: string, snap: Record<string, T>, server: Record<string, T>, show: (v: T) => string, same: (a: T, b: T) => boolean = (a, b) => a === b): string[] {
  const out: string[] = [];
  const keys = [...new Set([...Object.keys(snap), ...Object.keys(server)])].sort();
  for (const k of keys) {
    const inSnap = Object.hasOwn(snap, k);
    const inServer = Object.hasOwn(server, k);
    if (inSnap && !inServer) out.push(`${what} ${k} is not on the server (${show(snap[k]!)} in the snapshot)`);
    else if (!inSnap && inServer) out.push(`${what} ${k} is ${show(server[k]!)} on the server, absent from the snapshot`);
    else if (!same(snap[k]!, server[k]!)) out.push(`${k} is ${show(server[k]!)} on the server, ${show(snap[k]!)} in the snapshot`);
  }
  return out;
}

/** NaN equals NaN here: the same logged value. */
function sameNumber(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

function signatureText(s: SignatureState): string {
  return s.state === 'found' ? JSON.stringify(s.signature) : s.state === 'absent' ? 'absent' : `${s.state}`;
}

function describe(s: SignatureState): string {
  if (s.state !== 'found') return s.state === 'absent' ? 'absent' : s.state;
  const cols = (s.signature.inputs ?? []).map((c) => c.name ?? (c.kind === 'tensor' ? c.dtype : '?'));
  return `inputs (${cols.join(', ')})`;
}
