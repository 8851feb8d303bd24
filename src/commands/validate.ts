/** `validate`: schema and invariants of config, every manifest and every policy, all errors at once. */
import { resolve } from 'node:path';
import { InputError, InputErrors, formatError } from '../errors';
import { WorktreeState } from '../repo/worktree';
import { listModels, readLayout, readManifest, readPolicies } from '../repo/registry';
import type { CommonOptions } from './options';
import { toJson } from '../report/text';

export interface ValidateOutcome {
  models: number;
  policies: number;
  errors: InputError[];
}

export async function runValidate(opts: CommonOptions): Promise<ValidateOutcome> {
  const state = new WorktreeState(resolve(opts.repo));
  const layout = await readLayout(state); // a broken config stops here: nothing else can be located
  const errors: InputError[] = [];
  const collect = async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof InputErrors) errors.push(...err.errors);
      else if (err instanceof InputError) errors.push(err);
      else throw err;
      return undefined;
    }
  };
  const models = await listModels(state, layout);
  for (const model of models) await collect(() => readManifest(state, layout, model, { singleProduction: true }));
  const policies = await collect(() => readPolicies(state, layout));
  return { models: models.length, policies: policies?.length ?? 0, errors };
}

export function renderValidate(o: ValidateOutcome, format: string): string {
  if (format === 'json') {
    return toJson({
      valid: o.errors.length === 0,
      models: o.models,
      policies: o.policies,
      errors: o.errors.map((e) => ({ ...e.location, message: e.message, ...(e.hint ? { hint: e.hint } : {}) })),
    });
  }
  if (o.errors.length === 0) return `✓ valid: ${o.models} model manifest${o.models === 1 ? '' : 's'}, ${o.policies} polic${o.policies === 1 ? 'y' : 'ies'}`;
  const lines = o.errors.map((e) => formatError(e));
  lines.push(`✗ ${o.errors.length} problem${o.errors.length === 1 ? '' : 's'}; nothing was changed`);
  return lines.join('\n');
}
