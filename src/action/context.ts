/** The runner's environment, read once: inputs, event payload, paths. Nothing here reaches a shell. */
import * as core from '@actions/core';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../errors';

export interface ActionInputs {
  command: string;
  model: string;
  version: string;
  to: string;
  reason: string;
  alias: string;
  repoPath: string;
  token: string;
  comment: boolean;
  failOnDeny: boolean;
  commitMode: 'git' | 'api';
  /** Dispatched decisions may run on a ref other than the default branch. */
  allowAnyRef: boolean;
  /** `mlflow`: after record and dispatched decisions are pushed, run `sync mlflow` (action/sync.ts). */
  sync: '' | 'mlflow';
}

export interface ActionContext {
  inputs: ActionInputs;
  eventName: string;
  // The event payload is GitHub's JSON; only the few fields we read are typed where used.
  payload: Record<string, unknown>;
  repository: { owner: string; repo: string };
  /** GITHUB_REF: the ref the workflow runs on (for workflow_dispatch, the dispatched ref). */
  ref: string;
  /** Who made this run happen: the triggering actor (a re-run's), else the workflow's actor. */
  actor: string;
  apiUrl: string;
  workspace: string;
  tempDir: string;
  /** The environment the commands may consult, without the Action's inputs (the token is one). */
  env: Record<string, string | undefined>;
}

function bool(name: string, dflt: boolean): boolean {
  const v = core.getInput(name).trim().toLowerCase();
  if (v === '') return dflt;
  if (['true', 'yes', '1'].includes(v)) return true;
  if (['false', 'no', '0'].includes(v)) return false;
  throw new InputError(`input '${name}' must be true or false, got '${v}'`);
}

/** The runner passes input `github-token` as INPUT_GITHUB-TOKEN (upper case, hyphens kept). */
const TOKEN_VAR = 'INPUT_GITHUB-TOKEN';

export function readContext(env: NodeJS.ProcessEnv = process.env): ActionContext {
  const token = core.getInput('github-token');
  if (token) core.setSecret(token);
  // No child process (git, and the hooks it runs) needs the token: it leaves our environment.
  delete env[TOKEN_VAR];
  const commitMode = (core.getInput('commit-mode') || 'git').trim().toLowerCase();
  if (commitMode !== 'git' && commitMode !== 'api') throw new InputError(`input 'commit-mode' must be git or api, got '${commitMode}'`);
  const sync = core.getInput('sync').trim().toLowerCase();
  if (sync !== '' && sync !== 'mlflow') throw new InputError(`input 'sync' must be mlflow or empty, got '${sync}'`, { hint: 'sync: mlflow keeps the MLflow Model Registry in step with git after each pushed decision' });
  const inputs: ActionInputs = {
    command: (core.getInput('command') || 'auto').trim().toLowerCase(),
    model: core.getInput('model').trim(),
    version: core.getInput('version').trim(),
    to: core.getInput('to').trim(),
    reason: core.getInput('reason'),
    alias: core.getInput('alias').trim(),
    repoPath: core.getInput('repo-path').trim() || '.',
    token,
    comment: bool('comment', true),
    failOnDeny: bool('fail-on-deny', true),
    commitMode,
    allowAnyRef: bool('allow-any-ref', false),
    sync,
  };
  const eventPath = env.GITHUB_EVENT_PATH;
  let payload: Record<string, unknown> = {};
  if (eventPath) {
    try {
      payload = JSON.parse(readFileSync(eventPath, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new InputError(`cannot read the event payload ${eventPath}: ${(err as Error).message}`);
    }
  }
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const commandEnv: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) if (!k.startsWith('INPUT_')) commandEnv[k] = v;
  return {
    inputs,
    eventName: env.GITHUB_EVENT_NAME ?? '',
    payload,
    repository: { owner, repo },
    ref: env.GITHUB_REF ?? (typeof payload.ref === 'string' ? payload.ref : ''),
    actor: env.GITHUB_TRIGGERING_ACTOR || env.GITHUB_ACTOR || '',
    apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
    workspace,
    tempDir: env.RUNNER_TEMP ?? resolve(workspace, '..'),
    env: commandEnv,
  };
}
