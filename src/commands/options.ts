/** Options every command shares, already validated by the face (CLI or Action) that calls it. */
import type { OutputFormat } from '../report/format';

export type { OutputFormat };

export interface CommonOptions {
  /** Absolute path of the user's repository. */
  repo: string;
  format: OutputFormat;
  /** Current time; injectable for tests. */
  now: Date;
  /** Environment the command may consult (GITHUB_ACTOR, AWS_*), never the core. */
  env: Record<string, string | undefined>;
}
