/**
 * The server side of `sync mlflow`: the registered model as the planner sees it (two reads),
 * and the planned actions carried out one by one, in order, each reported as it lands so a
 * failure can say what is already done.
 */
import { EnvironmentError } from '../errors';
import type { MlflowClient } from './client';
import type { ServerModel, SyncAction } from './syncPlan';

/** registered-models/get (aliases) and model-versions/search (versions, stages, tags): search results carry no aliases. */
export async function readServerModel(client: MlflowClient, name: string): Promise<ServerModel> {
  const rm = await client.getRegisteredModel(name);
  if (!rm) return { exists: false, versions: [], aliases: {} };
  // No quote or backslash reaches here (the model-name pattern, or mlflow.name's schema pattern): nothing to escape.
  const versions = await client.searchModelVersions(`name = '${name}'`);
  return {
    exists: true,
    tags: Object.fromEntries(rm.tags.map((t) => [t.key, t.value])),
    versions: versions
      .filter((v) => v.name === name)
      .map((v) => ({
        version: v.version,
        stage: v.current_stage ?? 'None',
        ...(v.run_id ? { runId: v.run_id } : {}),
        tags: Object.fromEntries((v.tags ?? []).map((t) => [t.key, t.value])),
      })),
    aliases: Object.fromEntries(rm.aliases.map((a) => [a.alias, a.version])),
  };
}

/** Stopped part-way: the actions that landed, and the error that stopped the rest. */
export class SyncStopped extends EnvironmentError {
  constructor(
    readonly done: SyncAction[],
    readonly notDone: SyncAction[],
    readonly reason: EnvironmentError,
  ) {
    super(reason.message, { hint: reason.hint, cause: reason });
  }
}

/**
 * Carries out `actions` in order. A version created here is known by its git number to the
 * actions after it (its tags' and aliases' MLflow version). Stops at the first failure.
 */
export async function executeActions(client: MlflowClient, actions: SyncAction[], onDone: (a: SyncAction, createdAs?: string) => void = () => undefined): Promise<void> {
  const created = new Map<number, string>();
  const at = (a: { version: number; mlflowVersion?: string }): string => {
    const mv = a.mlflowVersion ?? created.get(a.version);
    // The planner only aims an action at a version that exists or that it creates first.
    if (mv === undefined) throw new Error(`sync: no MLflow version for v${a.version}`);
    return mv;
  };
  for (const [i, a] of actions.entries()) {
    let createdAs: string | undefined;
    try {
      switch (a.kind) {
        case 'create-model':
          // The ownership tag rides in the create request: the model is never untagged, so a sync stopped right after it still owns it.
          await client.createRegisteredModel(a.name, Object.entries(a.tags).map(([key, value]) => ({ key, value })));
          break;
        case 'delete-alias':
          await client.deleteAlias(a.name, a.alias);
          break;
        case 'create-version': {
          const tags = Object.entries(a.tags).map(([key, value]) => ({ key, value }));
          const mv = await client.createModelVersion({ name: a.name, source: a.source, runId: a.runId, tags });
          created.set(a.version, mv.version);
          createdAs = mv.version;
          break;
        }
        case 'set-tag':
          await client.setModelVersionTag(a.name, at(a), a.key, a.value);
          break;
        case 'delete-tag':
          await client.deleteModelVersionTag(a.name, at(a), a.key);
          break;
        case 'set-stage':
          await client.transitionStage(a.name, at(a), a.stage);
          break;
        case 'set-alias':
          await client.setAlias(a.name, a.alias, at(a));
          break;
      }
    } catch (err) {
      if (err instanceof EnvironmentError) throw new SyncStopped(actions.slice(0, i), actions.slice(i), err);
      throw err;
    }
    onDone(a, createdAs);
  }
}
