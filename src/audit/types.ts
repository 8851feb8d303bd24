/** One line of `audit/<model>.jsonl` (SPEC section 7). */
import type { Stage } from '../manifest/types';

export type AuditAction = 'register' | 'promote' | 'archive' | 'rollback' | 'alias';

export interface AuditRecord {
  seq: number;
  time: string;
  actor: string;
  action: AuditAction;
  model: string;
  version: number;
  from: Stage | null;
  /** Stage, or `@alias` for alias records. */
  to: string;
  reason?: string;
  run?: string;
  artifact?: { uri?: string; digest?: string };
  policy?: { files: string[]; digest: string };
  checks: { id: string; status: string; level?: string }[];
  evidence?: {
    metrics: Record<string, number | string>;
    baseline?: { version: number; metrics: Record<string, number | string> };
    /** The version's evidence digest (SPEC section 6), when the manifest pins one. */
    digest?: string;
  };
  displaced?: number;
  /** Alias records only: the alias was removed from the manifest (`to` names it). */
  removed?: boolean;
  riskTier?: string;
  intendedUse?: string;
  source?: {
    commit?: string;
    pr?: number;
    approvals?: (string | { login: string; commit?: string })[];
    run_url?: string;
  };
  prev: string;
  hash: string;
}

export const GENESIS_PREV = 'sha256:' + '0'.repeat(64);
