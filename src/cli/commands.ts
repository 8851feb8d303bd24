/**
 * The CLI's command table: usage, flags and the handler of each command. Handlers call the
 * same use cases (src/commands) the Action calls, and render their one result shape.
 */
import type { ParseArgsConfig } from 'node:util';
import type { Io } from './io';
import type { CommonOptions, OutputFormat } from '../commands/options';
import { InputError, escapeMessage } from '../errors';
import type { ApplyOutcome } from '../commands/apply';
import type { Outcome } from '../commands/outcome';

// Command modules are imported when their command runs: `--version`, `--help` and a single
// command never pay for the parsers, policy engine and renderers of the others.
const report = () => import('../report/check');

type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | undefined>;

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  options: Options;
  /** Positional arguments: [min, max]. */
  positionals: [number, number];
  /** Runs the command and prints its result; the outcome decides the exit code (exitCodeOf), and a fault in it is printed by main. */
  run(args: { values: Values; positionals: string[]; common: CommonOptions; io: Io }): Promise<Outcome>;
}

const decisionFlags: Options = {
  reason: { type: 'string' },
  actor: { type: 'string' },
  'dry-run': { type: 'boolean' },
  commit: { type: 'boolean' },
  push: { type: 'boolean' },
};

const decisionHelp = `  --reason TEXT   why (kept in the audit record and the commit message)
  --actor NAME    who decides (default: GITHUB_ACTOR, else git user.name)
  --dry-run       judge and show, write nothing
  --commit        commit the manifest and audit changes, with trailers
  --push          commit and push; on rejection re-judge on the new tip (5 tries)`;

function versionArg(s: string): number {
  if (!/^[1-9][0-9]{0,8}$/.test(s)) throw new InputError(`'${s}' is not a version number`, { hint: 'versions are positive integers, e.g. 3' });
  return Number(s);
}

function decisionOptions(values: Values, common: CommonOptions, io: Io) {
  return {
    ...common,
    ...(typeof values.reason === 'string' ? { reason: values.reason } : {}),
    ...(typeof values.actor === 'string' ? { actor: values.actor } : {}),
    dryRun: values['dry-run'] === true,
    commit: values.commit === true,
    push: values.push === true,
    onProgress: (t: string) => io.err(t),
  };
}

async function printDecision(o: ApplyOutcome, common: CommonOptions, io: Io, dryRun: boolean): Promise<Outcome> {
  if (o.faults.length) return o; // no verdict to show
  const { renderCheck } = await report();
  if (common.format === 'json') {
    const { toJson } = await import('../report/text');
    io.out(toJson({ ...(JSON.parse(renderCheck(o.report, 'json', { color: false })) as object), written: o.written, commit: o.commit ?? null, records: o.records }));
  } else {
    io.out(renderCheck(o.report, common.format, { color: io.color }));
    if (o.written) {
      const what = o.records.map((r) => `${r.model} v${r.version} ${r.from ?? 'new'} -> ${r.to}`).join('; ');
      io.out(`recorded: ${what}${o.commit ? ` (commit ${o.commit.slice(0, 12)})` : ''}`);
    } else if (dryRun && o.decision === 'allow') {
      io.out('dry run: nothing was written');
    } else if (o.decision === 'deny') {
      io.out('denied: nothing was written');
    }
  }
  return o;
}

export const COMMANDS: CommandSpec[] = [
  {
    name: 'validate',
    summary: 'check config, manifests and policies against their schemas and invariants',
    usage: 'modelgate validate [--repo DIR] [--format text|json]',
    options: {},
    positionals: [0, 0],
    async run({ common, io }) {
      const { runValidate, renderValidate } = await import('../commands/validate');
      const o = await runValidate(common);
      const text = renderValidate(o, common.format);
      if (o.errors.length && common.format !== 'json') io.err(text);
      else io.out(text);
      return { invalid: o.errors.length > 0 };
    },
  },
  {
    name: 'status',
    summary: 'stages, aliases and headline metrics of each model',
    usage: 'modelgate status [<model>] [--repo DIR] [--format text|json|markdown]',
    options: {},
    positionals: [0, 1],
    async run({ positionals, common, io }) {
      const [{ runStatus }, { renderStatus }] = await Promise.all([import('../commands/status'), import('../report/status')]);
      const views = await runStatus({ ...common, ...(positionals[0] ? { model: positionals[0] } : {}) });
      io.out(renderStatus(views, common.format, { color: io.color }));
      return {};
    },
  },
  {
    name: 'resolve',
    summary: 'print the artifact URI and digest of models:/name@alias, models:/name/Stage or models:/name/N',
    usage: 'modelgate resolve <models:/name@alias | models:/name/Stage | models:/name/N> [--repo DIR] [--format text|json]',
    options: {},
    positionals: [1, 1],
    async run({ positionals, common, io }) {
      const { runResolve, renderResolved } = await import('../commands/resolve');
      io.out(renderResolved(await runResolve({ ...common, uri: positionals[0]! }), common.format));
      return {};
    },
  },
  {
    name: 'check',
    summary: 'judge the transitions between two states against the policies (the pull-request gate)',
    usage: `modelgate check [--base REF] [--head REF] [--all] [--repo DIR] [--format text|json|markdown]
  --base REF   the state policies and baselines come from (default HEAD)
  --head REF   the proposed state (default: the working tree)
  --all        re-judge every version's current stage against today's policies (drift report)
  --verbose    list passing checks too (text format)`,
    options: { base: { type: 'string' }, head: { type: 'string' }, all: { type: 'boolean' }, verbose: { type: 'boolean' } },
    positionals: [0, 0],
    async run({ values, common, io }) {
      const [{ runCheck }, { renderCheck }] = await Promise.all([import('../commands/check'), report()]);
      const o = await runCheck({
        ...common,
        ...(typeof values.base === 'string' ? { base: values.base } : {}),
        ...(typeof values.head === 'string' ? { head: values.head } : {}),
        all: values.all === true,
        onProgress: (t) => io.err(t),
      });
      if (o.faults.length) return o; // no verdict to show
      io.out(renderCheck(o.report, common.format, { color: io.color, verbose: values.verbose === true }));
      return o;
    },
  },
  {
    name: 'register',
    summary: 'add the next version of a model (stage None), with its artifact digest',
    usage: `modelgate register <model> --run REF [--artifact URI] [flags]\n${decisionHelp}`,
    options: { run: { type: 'string' }, artifact: { type: 'string' }, ...decisionFlags },
    positionals: [1, 1],
    async run({ values, positionals, common, io }) {
      if (typeof values.run !== 'string') throw new InputError('register needs --run REF', { hint: 'e.g. --run mlruns/1/<run_id>, --run runs/x.json, --run s3://bucket/run/, or from a tracking server --run runs:/<run_id> or --run models:/<name>/<version>' });
      const { register } = await import('../commands/decide');
      const o = await register(decisionOptions(values, common, io), positionals[0]!, values.run, typeof values.artifact === 'string' ? values.artifact : undefined);
      return await printDecision(o, common, io, values['dry-run'] === true);
    },
  },
  {
    name: 'pin',
    summary: 'write the evidence digest of every version that has none (a one-time migration, reviewed as a PR)',
    usage: `modelgate pin [<model>] [--dry-run] [--commit]
  --dry-run       compute and show, write nothing
  --commit        commit the manifests`,
    options: { 'dry-run': { type: 'boolean' }, commit: { type: 'boolean' } },
    positionals: [0, 1],
    async run({ values, positionals, common, io }) {
      const { runPin } = await import('../commands/pin');
      const o = await runPin({ ...common, ...(positionals[0] !== undefined ? { model: positionals[0] } : {}), dryRun: values['dry-run'] === true, commit: values.commit === true });
      const { toJson, printable } = await import('../report/text');
      if (common.format === 'json') {
        io.out(toJson({ pinned: o.pinned, written: o.written, commit: o.commit ?? null }));
        return {};
      }
      for (const p of o.pinned) io.out(`${printable(p.model)} v${p.version}: evidence ${p.evidence}`);
      if (o.pinned.length === 0) io.out('every version already pins its evidence: nothing to do');
      else if (o.written) io.out(`pinned ${o.pinned.length} version${o.pinned.length === 1 ? '' : 's'}${o.commit ? ` (commit ${o.commit.slice(0, 12)})` : ''}`);
      else io.out('dry run: nothing was written');
      return {};
    },
  },
  {
    name: 'promote',
    summary: 'judge, then move a version to a stage or alias (entering Production archives the previous one)',
    usage: `modelgate promote <model> <version> --to <Staging|Production|Archived|@alias> [--alias NAME] [flags]\n${decisionHelp}`,
    options: { to: { type: 'string' }, alias: { type: 'string' }, ...decisionFlags },
    positionals: [2, 2],
    async run({ values, positionals, common, io }) {
      if (typeof values.to !== 'string') throw new InputError('promote needs --to <Stage|@alias>', { hint: 'e.g. --to Production or --to @champion' });
      const { promote } = await import('../commands/decide');
      const alias = typeof values.alias === 'string' ? values.alias : undefined;
      const o = await promote(decisionOptions(values, common, io), positionals[0]!, versionArg(positionals[1]!), values.to, alias);
      return await printDecision(o, common, io, values['dry-run'] === true);
    },
  },
  {
    name: 'archive',
    summary: 'judge, then archive a version',
    usage: `modelgate archive <model> <version> --reason TEXT [flags]\n${decisionHelp}`,
    options: { ...decisionFlags },
    positionals: [2, 2],
    async run({ values, positionals, common, io }) {
      const { archive } = await import('../commands/decide');
      const o = await archive(decisionOptions(values, common, io), positionals[0]!, versionArg(positionals[1]!));
      return await printDecision(o, common, io, values['dry-run'] === true);
    },
  },
  {
    name: 'rollback',
    summary: 'put back the version that held Production (or an alias) before the current one',
    usage: `modelgate rollback <model> [--to VERSION] [--alias NAME] --reason TEXT [flags]\n${decisionHelp}`,
    options: { to: { type: 'string' }, alias: { type: 'string' }, ...decisionFlags },
    positionals: [1, 1],
    async run({ values, positionals, common, io }) {
      const { rollback } = await import('../commands/decide');
      const o = await rollback(decisionOptions(values, common, io), positionals[0]!, {
        ...(typeof values.to === 'string' ? { to: versionArg(values.to) } : {}),
        ...(typeof values.alias === 'string' ? { alias: values.alias.replace(/^@/, '') } : {}),
      });
      return await printDecision(o, common, io, values['dry-run'] === true);
    },
  },
  {
    name: 'record',
    summary: 'after a merge: append audit records for transitions committed without one (idempotent)',
    usage: `modelgate record [--since REF] [--actor NAME] [--commit] [--push] [--dry-run]`,
    options: { since: { type: 'string' }, actor: { type: 'string' }, commit: { type: 'boolean' }, push: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
    positionals: [0, 0],
    async run({ values, common, io }) {
      const { runRecord } = await import('../commands/record');
      const o = await runRecord({
        ...common,
        ...(typeof values.since === 'string' ? { since: values.since } : {}),
        ...(typeof values.actor === 'string' ? { actor: values.actor } : {}),
        commit: values.commit === true,
        push: values.push === true,
        dryRun: values['dry-run'] === true,
        onProgress: (t) => io.err(t),
      });
      if (o.faults.length) return o; // nothing was recorded
      // Check ids can quote run metadata (metric names): escaped like any message.
      for (const b of o.bypassed) io.err(escapeMessage(`warning: ${b.model} v${b.version} was merged in ${b.commit.slice(0, 12)} with failing checks: ${b.failed.join(', ')}`));
      const { toJson } = await import('../report/text');
      if (common.format === 'json') io.out(toJson({ recorded: o.records.length, records: o.records, bypassed: o.bypassed, commit: o.commit ?? null }));
      else if (o.records.length === 0) io.out('nothing to record: every transition has its record');
      else {
        const n = `${o.records.length} transition${o.records.length === 1 ? '' : 's'}`;
        io.out(values['dry-run'] === true ? `dry run: would record ${n}; nothing was written` : `recorded ${n}${o.commit ? ` (commit ${o.commit.slice(0, 12)})` : ''}`);
      }
      return {};
    },
  },
  {
    name: 'audit',
    summary: 'the transition history; `audit verify` proves the audit trail',
    usage: `modelgate audit [<model>] [--format text|json|markdown]
modelgate audit verify [<model>]   chains, append-only history, replay = manifests, coverage`,
    options: {},
    positionals: [0, 2],
    async run({ positionals, common, io }) {
      const [{ runAuditHistory, runAuditVerify }, { renderAuditHistory, renderVerifyProblems }] = await Promise.all([
        import('../commands/audit'),
        import('../report/audit'),
      ]);
      if (positionals[0] === 'verify') {
        const o = await runAuditVerify({ ...common, ...(positionals[1] ? { model: positionals[1] } : {}) });
        io.out(renderVerifyProblems(o.problems, common.format, { models: o.models, records: o.records }));
        return { decision: o.problems.length ? 'deny' : 'allow' };
      }
      if (positionals.length > 1) throw new InputError(`unexpected argument '${positionals[1]}'`, { hint: 'usage: modelgate audit [<model>] | modelgate audit verify [<model>]' });
      const records = await runAuditHistory({ ...common, ...(positionals[0] ? { model: positionals[0] } : {}) });
      io.out(renderAuditHistory(records, common.format));
      return {};
    },
  },
  {
    name: 'sync',
    summary: 'make the MLflow Model Registry at MLFLOW_TRACKING_URI follow git (aliases, versions, modelgate.* tags)',
    usage: `modelgate sync mlflow [<model>] [--dry-run] [--repo DIR] [--format text|json|markdown]
  --dry-run       list the differences, write nothing (exit 1 when there is one)`,
    options: { 'dry-run': { type: 'boolean' } },
    positionals: [1, 2],
    async run({ values, positionals, common, io }) {
      if (positionals[0] !== 'mlflow') {
        throw new InputError(`sync: unknown target '${positionals[0]}'`, { hint: 'modelgate sync mlflow [<model>] keeps the MLflow Model Registry in step with git' });
      }
      const [{ runSync, syncOutcome, SyncIncomplete }, { renderSync }] = await Promise.all([import('../commands/sync'), import('../report/sync')]);
      try {
        const o = await runSync({ ...common, ...(positionals[1] !== undefined ? { models: [positionals[1]] } : {}), dryRun: values['dry-run'] === true });
        io.out(renderSync(o, common.format, { color: io.color }));
        return syncOutcome(o);
      } catch (err) {
        // Stopped part-way: the report says what is done (stdout), the error what stopped it (exit 3).
        if (err instanceof SyncIncomplete) io.out(renderSync(err.outcome, common.format, { color: io.color }));
        throw err;
      }
    },
  },
  {
    name: 'import',
    summary: 'adopt an existing MLflow registered model: a new manifest with its versions, stages and aliases',
    usage: `modelgate import mlflow <registered-model> [--as <model>] [--from <mlruns>] [--commit] [--dry-run] [--repo DIR] [--format text|json|markdown]
  --as MODEL      the manifest's name (default: the registered model's); the manifest then says mlflow: {name: ...}
  --from DIR      read a file store committed in the repository (the mlruns directory) instead of MLFLOW_TRACKING_URI
  --dry-run       fetch and show, write nothing
  --commit        commit the manifest and snapshots, then tag each MLflow version with modelgate.version`,
    options: { as: { type: 'string' }, from: { type: 'string' }, commit: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
    positionals: [2, 2],
    async run({ values, positionals, common, io }) {
      if (positionals[0] !== 'mlflow') throw new InputError(`cannot import from '${positionals[0]}'`, { hint: 'usage: modelgate import mlflow <registered-model> [--as <model>]' });
      const [{ runImport }, { renderImport }] = await Promise.all([import('../commands/importMlflow'), import('../report/importMlflow')]);
      const dryRun = values['dry-run'] === true;
      const o = await runImport({
        ...common,
        registeredModel: positionals[1]!,
        ...(typeof values.as === 'string' ? { as: values.as } : {}),
        ...(typeof values.from === 'string' ? { from: values.from } : {}),
        commit: values.commit === true,
        dryRun,
        onProgress: (t) => io.err(t),
      });
      io.out(renderImport(o, common.format, { dryRun }));
      return {};
    },
  },
];

export const FORMATS: OutputFormat[] = ['text', 'json', 'markdown'];
