#!/usr/bin/env node
/** The CLI face: parse argv, run one command, map every outcome to the spec's exit codes. */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { statSync } from 'node:fs';
import { printable } from '../storage/paths';
import { COMMANDS, FORMATS, type CommandSpec } from './commands';
import { processIo, type Io } from './io';
import { InputError, ModelgateError, escapeMessage, formatError } from '../errors';
import type { OutputFormat } from '../commands/options';
import { VERSION } from '../version';
import { exitAfterBudget, exitOnSignals, exitWhenDone } from './signals';
import { isSupervisedChild, stopWithParent, superviseSelf } from './supervise';

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

export async function main(argv: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(mainHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(VERSION);
    return 0;
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
    return 0;
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

/** Fail closed: anything unexpected is an environment failure (3), never "allowed". */
export function exitCodeOf(err: unknown, io: Io): number {
  if (err instanceof ModelgateError) {
    io.err(formatError(err));
    return err.exitCode;
  }
  io.err(`error: internal error: ${escapeMessage((err as Error)?.message ?? String(err))}\n  hint: this is a bug in modelgate; nothing was allowed. Set MODELGATE_DEBUG=1 for details.`);
  if (process.env.MODELGATE_DEBUG) io.err(String((err as Error)?.stack));
  return 3;
}

const io = processIo();
const argv = process.argv.slice(2);
// Help and --version answer at once; every other command runs in a watched child (supervise.ts).
if (!isSupervisedChild() && !['--version', '-V', 'version', '--help', '-h', 'help', undefined].includes(argv[0])) {
  superviseSelf(io.err);
} else {
  exitOnSignals(io.err);
  if (isSupervisedChild()) stopWithParent();
  else exitAfterBudget(process.env, io.err);
  main(argv, io, process.env)
    .then(
      (code) => {
        process.exitCode = code;
      },
      (err) => {
        process.exitCode = exitCodeOf(err, io);
      },
    )
    .finally(exitWhenDone);
}
