/**
 * The CLI face: parse argv, run one command, map its outcome to the spec's exit codes. Nothing
 * runs on import: cli/bin.ts is the process entry (supervision, signals, budget), and tests
 * drive `main` in-process with their own Io.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { statSync } from 'node:fs';
import { printable } from '../storage/paths';
import { COMMANDS, FORMATS, type CommandSpec } from './commands';
import type { Io } from './io';
import { InputError, ModelgateError, escapeMessage, formatError } from '../errors';
import type { OutputFormat } from '../commands/options';
import { exitCodeOf, failed, type ExitCode, type Outcome } from '../commands/outcome';
import { VERSION } from '../version';

const COMMON = {
  repo: { type: 'string' as const },
  format: { type: 'string' as const },
  help: { type: 'boolean' as const, short: 'h' },
};

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `modelgate ${VERSION} — a model registry in git, and the gate that guards it`,
    '',
    'usage: modelgate <command> [args] [--repo DIR] [--format text|json|markdown]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'exit codes: 0 allowed · 1 denied (or audit problems) · 2 invalid input · 3 environment failure',
    'run `modelgate <command> --help` for a command’s flags',
  ].join('\n');
}

function commandHelp(c: CommandSpec): string {
  return `${c.usage}\n\n${c.summary}\n\ncommon flags:\n  --repo DIR      the registry repository (default: current directory)\n  --format F      text (default), json or markdown\n  -h, --help      this help`;
}

/**
 * Runs one command line: its exit code (exitCodeOf of the command's outcome). Never throws:
 * an error is printed, and is the outcome.
 */
export async function main(argv: string[], io: Io, env: NodeJS.ProcessEnv): Promise<ExitCode> {
  let o: Outcome;
  try {
    o = await runCommand(argv, io, env);
  } catch (err) {
    o = failed(err);
  }
  for (const fault of (o.faults ?? []).slice(0, 1)) printFailure(fault, io);
  return exitCodeOf(o);
}

async function runCommand(argv: string[], io: Io, env: NodeJS.ProcessEnv): Promise<Outcome> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(mainHelp());
    return { invalid: name === undefined }; // no command is a usage error
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(VERSION);
    return {};
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const near = COMMANDS.find((c) => c.name.startsWith(name.slice(0, 3)));
    throw new InputError(`unknown command '${name}'`, { hint: near ? `did you mean \`modelgate ${near.name}\`? (modelgate --help lists all)` : 'modelgate --help lists the commands' });
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...COMMON, ...command.options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new InputError((err as Error).message.replace(/\. To specify.*$/, ''), { hint: `see \`modelgate ${command.name} --help\`` });
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(commandHelp(command));
    return {};
  }
  const [min, max] = command.positionals;
  if (positionals.length < min || positionals.length > max) {
    throw new InputError(`${command.name}: expected ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, got ${positionals.length}`, {
      hint: `usage: ${command.usage.split('\n')[0]}`,
    });
  }
  const format = (values.format ?? 'text') as OutputFormat;
  if (!FORMATS.includes(format)) throw new InputError(`unknown format '${String(values.format)}'`, { hint: 'use --format text, json or markdown' });
  const repo = resolve(typeof values.repo === 'string' ? values.repo : '.');
  // A mistyped --repo is the user's to fix (exit 2), not a failing environment.
  if (typeof values.repo === 'string' && !statSync(repo, { throwIfNoEntry: false })?.isDirectory()) {
    throw new InputError(`--repo ${printable(values.repo)} is not a directory`, { hint: 'pass the path of your registry checkout' });
  }
  const common = { repo, format, now: new Date(), env: { ...env } };
  return command.run({ values: values as Record<string, string | boolean | undefined>, positionals, common, io });
}

/** What stopped a command, for the user; anything unexpected is a bug, and exit 3 (fail closed, never "allowed"). */
function printFailure(err: unknown, io: Io): void {
  if (err instanceof ModelgateError) {
    io.err(formatError(err));
    return;
  }
  io.err(`error: internal error: ${escapeMessage((err as Error)?.message ?? String(err))}\n  hint: this is a bug in modelgate; nothing was allowed. Set MODELGATE_DEBUG=1 for details.`);
  if (process.env.MODELGATE_DEBUG) io.err(String((err as Error)?.stack));
}
