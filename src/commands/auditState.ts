/**
 * A model's audit log as of one state: chain verified and replayed in a single streaming pass.
 * Commands that append refuse to build on a broken chain, so they read it through here.
 */
import type { RepoState } from '../repo/types';
import type { AuditRecord } from '../audit/types';
import { verifyChainStream, type ChainProblem } from '../audit/chain';
import { Replayer, type ReplayState } from '../audit/replay';
import { readLines } from '../audit/log';
import { assertPlainPath } from '../repo/plainPath';

export interface AuditState {
  file: string;
  count: number;
  last: AuditRecord | undefined;
  problems: ChainProblem[];
  replay: ReplayState;
  /** Commits named by records' `source.commit`, for coverage and `record` idempotency. */
  sourceCommits: Set<string>;
  /** The hash of the record with seq `opts.hashOfSeq` (the first one read), when asked for. */
  hashOfSeq?: string;
  /** Records after seq `opts.collectAfterSeq` (what a change appends), when asked for. */
  appended?: AuditRecord[];
}

/** undefined when the model has no audit log in this state. */
export async function readAuditState(state: RepoState, file: string, model: string, opts: { hashOfSeq?: number; collectAfterSeq?: number } = {}): Promise<AuditState | undefined> {
  await assertPlainPath(state, file, 'an audit log');
  const stat = await state.stat(file);
  if (!stat) return undefined;
  const replayer = new Replayer();
  const sourceCommits = new Set<string>();
  let last: AuditRecord | undefined;
  let hashOfSeq: string | undefined;
  const appended: AuditRecord[] = [];
  const result = await verifyChainStream(readLines(await state.openStream(file)), model, state.describe(file), (rec: AuditRecord) => {
    replayer.apply(rec);
    last = rec;
    if (rec.source?.commit) sourceCommits.add(rec.source.commit);
    if (rec.seq === opts.hashOfSeq && hashOfSeq === undefined) hashOfSeq = rec.hash;
    if (opts.collectAfterSeq !== undefined && rec.seq > opts.collectAfterSeq) appended.push(rec);
  });
  return { file, count: result.count, last, problems: result.problems, replay: replayer.state, sourceCommits, ...(hashOfSeq !== undefined ? { hashOfSeq } : {}), ...(opts.collectAfterSeq !== undefined ? { appended } : {}) };
}
