/**
 * W&B `files/wandb-metadata.json` → tags and start time. The git commit and remote become the
 * tags `git_commit` and `git_remote`; a fixed set of environment fields becomes `wandb.<field>`
 * (personal data such as `email` is not copied). `startedAt` is UTC: legacy writers omit the
 * zone, core writers append `Z`.
 */
import { InputError } from '../../errors';
import { typeName, type ParsedDocument } from '../../schema/document';

/** Environment fields copied as `wandb.<field>` tags when they are plain text or numbers. */
export const ENVIRONMENT_FIELDS = ['program', 'codePath', 'host', 'os', 'python', 'username', 'executable', 'docker', 'colab', 'gpu', 'cudaVersion'] as const;

export interface WandbMetadata {
  tags: Record<string, string>;
  startTime: string | undefined;
}

type Obj = Record<string, unknown>;

export function interpretMetadata(doc: ParsedDocument): WandbMetadata {
  const root = doc.value;
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw new InputError(`wandb-metadata.json must be a JSON object, got ${typeName(root)}`, { location: doc.locate([]) });
  }
  const meta = root as Obj;
  const tags: Record<string, string> = {};
  const git = meta.git;
  if (typeof git === 'object' && git !== null) {
    const { commit, remote } = git as Obj;
    if (typeof commit === 'string' && commit !== '') tags.git_commit = commit;
    if (typeof remote === 'string' && remote !== '') tags.git_remote = remote;
  }
  for (const field of ENVIRONMENT_FIELDS) {
    const v = meta[field];
    if ((typeof v === 'string' && v !== '') || (typeof v === 'number' && Number.isFinite(v))) tags[`wandb.${field}`] = String(v);
  }
  return { tags, startTime: utcTime(meta.startedAt) };
}

/** `2024-01-12T10:37:50.782622` (UTC without a zone) or RFC 3339 → ISO 8601 UTC; undefined when unreadable. */
export function utcTime(v: unknown): string | undefined {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return undefined;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(v) ? v : `${v}Z`;
  // Date reads at most milliseconds; trim longer fractions so the string stays parseable everywhere.
  const d = new Date(zoned.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
