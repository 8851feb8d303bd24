/**
 * Fail-closed, read-once access to everything in the EvaluationContext that does I/O. Each
 * loader is called only when a check asks for it, at most once per transition, and its failure
 * is captured as data so the check that needed it can report `could not evaluate:` instead of
 * the engine throwing.
 */
import { EnvironmentError, NotFoundError, UnsafePathError, errorSummary } from '../../errors';
import type { PlainRun, RunRecord, RunValues, ServerRunView } from '../../runs/types';
import { plainRun } from '../../runs/values';
import { LoaderFault, type ArtifactCheck, type BaselineInfo, type EvaluationContext } from '../context';
import type { Target } from '../types';

export type Loaded<T> = { ok: true; value: T } | { ok: false; message: string; notFound: boolean };

/**
 * Runs a loader, turning its failure into data. The message names the file (and line) that
 * could not be read: a `could not evaluate:` verdict must say what to fix.
 */
async function capture<T>(load: () => Promise<T>, refuseUnsafePaths: boolean, faults: Set<Error>): Promise<Loaded<T>> {
  try {
    return { ok: true, value: await load() };
  } catch (thrown) {
    // A fault is also kept as data, for the command to end with exit 3.
    const err = thrown instanceof LoaderFault ? thrown.fault : thrown;
    if (thrown instanceof LoaderFault) faults.add(thrown.fault);
    if (refuseUnsafePaths && err instanceof UnsafePathError) throw err;
    return { ok: false, message: errorSummary(err), notFound: err instanceof NotFoundError };
  }
}

/**
 * A run's values are read lazily, after its loader returned: an environment failure then (S3
 * dropping mid-read) is a fault like the loader's own, so the command still ends with exit 3.
 */
async function environmentFaults<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw err instanceof EnvironmentError ? new LoaderFault(err) : err;
  }
}

export class Sources {
  private readonly runs = new Map<'subject', Promise<Loaded<RunRecord>>>();
  private readonly baselines = new Map<Target, Promise<Loaded<BaselineInfo | undefined>>>();
  private readonly baselineRuns = new Map<number, Promise<Loaded<RunRecord>>>();
  private readonly artifacts = new Map<'subject', Promise<Loaded<ArtifactCheck>>>();
  private readonly server = new Map<'subject', Promise<Loaded<ServerRunView>>>();
  private readonly entered = new Map<'subject', Promise<Loaded<Date | undefined>>>();
  private readonly archived = new Map<number, Promise<Loaded<Date | undefined>>>();
  private readonly teams = new Map<string, Promise<Loaded<string[]>>>();

  private readonly strict: boolean;
  private readonly met = new Set<Error>();

  constructor(private readonly ctx: EvaluationContext) {
    this.strict = ctx.refuseUnsafePaths === true;
  }

  /** The environment failures the loaders met (LoaderFault), first first. */
  faults(): Error[] {
    return [...this.met];
  }

  private memo<K, T>(cache: Map<K, Promise<Loaded<T>>>, key: K, load: () => Promise<T>): Promise<Loaded<T>> {
    let p = cache.get(key);
    if (!p) {
      p = capture(load, this.strict, this.met);
      cache.set(key, p);
    }
    return p;
  }

  /** The run of the version being judged. */
  run(): Promise<Loaded<RunRecord>> {
    return this.memo(this.runs, 'subject', () => this.ctx.run());
  }

  /** The run, if some check has already read it successfully (for lineage): no new I/O. */
  async runIfRead(): Promise<RunRecord | undefined> {
    const p = this.runs.get('subject');
    if (!p) return undefined;
    const r = await p;
    return r.ok ? r.value : undefined;
  }

  /**
   * One value of a run read (params, tags and metrics are read by key, when a check asks),
   * its failure captured like a loader's: a value past a limit fails the check that needed it.
   */
  value<T>(values: RunValues<T>, key: string): Promise<Loaded<T | undefined>> {
    return capture(() => environmentFaults(values.get(key)), this.strict, this.met);
  }

  /** The keys a run has of one kind (metric globs), without reading values. */
  keys<T>(values: RunValues<T>): Promise<Loaded<string[]>> {
    return capture(() => environmentFaults(values.keys()), this.strict, this.met);
  }

  /** Every value of the run (run.source compares the whole snapshot). */
  plain(run: RunRecord): Promise<Loaded<PlainRun>> {
    return capture(() => environmentFaults(plainRun(run)), this.strict, this.met);
  }

  /** The version in a stage or alias in the BASE state. */
  baseline(target: Target): Promise<Loaded<BaselineInfo | undefined>> {
    return this.memo(this.baselines, target, () => this.ctx.baseline(target));
  }

  baselineRun(info: BaselineInfo): Promise<Loaded<RunRecord>> {
    return this.memo(this.baselineRuns, info.version.version, () => info.run());
  }

  serverRun(run: RunRecord): Promise<Loaded<ServerRunView>> {
    const ask = this.ctx.serverRun;
    return this.memo(this.server, 'subject', () => (ask ? ask(run) : Promise.reject(new Error('no tracking server is reachable from here'))));
  }

  artifact(): Promise<Loaded<ArtifactCheck>> {
    return this.memo(this.artifacts, 'subject', () => this.ctx.artifact());
  }

  enteredStageAt(): Promise<Loaded<Date | undefined>> {
    return this.memo(this.entered, 'subject', () => this.ctx.enteredStageAt());
  }

  archivedAt(version: number): Promise<Loaded<Date | undefined>> {
    return this.memo(this.archived, version, () => this.ctx.archivedAt(version));
  }

  team(team: string): Promise<Loaded<string[]>> {
    return this.memo(this.teams, team, () => this.ctx.resolveTeam(team));
  }
}

/** Why a check that needed the run cannot be evaluated (SPEC: `could not evaluate: run not found`). */
export function runUnavailable(loaded: Extract<Loaded<unknown>, { ok: false }>): string {
  return loaded.notFound ? 'run not found' : loaded.message;
}
