/**
 * `approvals.required`: enough distinct approvers listed in `approvals.from` (SPEC sections 5
 * and 8). In a pull request they are the PR's approving reviewers (the author and reviewers
 * without write access already excluded upstream, github/reviews.ts); for a direct command, the acting user counts as one approval when listed; outside
 * both, the check is `skipped` because CI verifies it.
 */
import type { RuleInput } from './input';
import { cannotEvaluate, fail, listing, pass, skipped, type RawCheck } from './verdict';

const APPROVALS = 'approvals.required';

/** `@org/team` (or `org/team`): logins cannot contain a slash. */
function isTeam(entry: string): boolean {
  return entry.includes('/');
}

const login = (s: string) => s.replace(/^@/, '').toLowerCase();

export async function approvalsCheck(input: RuleInput): Promise<RawCheck[]> {
  const rule = input.rules.approvals;
  const t = input.transition;
  if (!rule || t.via === 'drift') return [];
  const source = input.approvals;
  const required = rule.required;
  const expected = required;
  if (source.kind === 'none') return [skipped(APPROVALS, `approvals are verified in CI on the pull request (${required} required for ${input.target})`, { expected })];

  if (source.kind === 'unattributed') {
    return [fail(APPROVALS, `0 of ${required} required approvals for ${input.target}: commit ${source.commit.slice(0, 12)} was merged by no pull request GitHub knows of (a direct push), so nobody reviewed it`, { actual: [], expected })];
  }
  const candidates = distinct(source.kind === 'pr' ? source.approvers.map((a) => a.login) : [source.actor]);
  const listed = await approverSet(input, rule.from, candidates);
  if (!listed.ok) return [cannotEvaluate(APPROVALS, listed.message, { expected })];
  const counted = candidates.filter((c) => listed.accepts(c));
  const ignored = candidates.filter((c) => !listed.accepts(c));
  const extra = { actual: counted, expected };
  if (counted.length >= required) {
    const who = counted.length ? ` (${counted.join(', ')})` : '';
    return [pass(APPROVALS, `${counted.length} approval${counted.length === 1 ? '' : 's'}${who}; ${required} required for ${input.target}`, extra)];
  }
  if (source.kind === 'actor') {
    if (ignored.length) {
      return [fail(APPROVALS, `${source.actor} is not an approver for ${input.target} (approvals.from: ${(rule.from ?? []).join(', ')})`, extra)];
    }
    return [
      fail(APPROVALS, `${source.actor} counts as 1 approval; ${input.target} requires ${required}: make this change through a pull request reviewed by the approvers`, extra),
    ];
  }
  const who = counted.length ? ` (${counted.join(', ')})` : '';
  const others = ignored.length ? `; ${listing(ignored)} approved but ${ignored.length === 1 ? 'is' : 'are'} not in approvals.from` : '';
  const unqualified = source.withoutWriteAccess ?? [];
  const noWrite = unqualified.length
    ? `; ${listing(unqualified.map((u) => `${u.login} (${u.association})`))} approved without write access to the repository (only OWNER, MEMBER or COLLABORATOR reviews count)`
    : '';
  return [fail(APPROVALS, `${counted.length} of ${required} required approvals for ${input.target}${who}${others}${noWrite}`, extra)];
}

function distinct(logins: readonly string[]): string[] {
  const seen = new Set<string>();
  return logins.filter((l) => {
    const k = login(l);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

type ApproverSet = { ok: true; accepts: (login: string) => boolean } | { ok: false; message: string };

/**
 * Who may approve. Teams are expanded only when some candidate is not listed by login, so a
 * team lookup (an API call) happens only when it can change the count.
 */
async function approverSet(input: RuleInput, from: string[] | undefined, candidates: readonly string[]): Promise<ApproverSet> {
  if (!from) return { ok: true, accepts: () => true };
  const allowed = new Set(from.filter((e) => !isTeam(e)).map(login));
  const teams = from.filter(isTeam);
  if (teams.length && candidates.some((c) => !allowed.has(login(c)))) {
    for (const team of teams) {
      const members = await input.sources.team(team);
      if (!members.ok) return { ok: false, message: `could not resolve team ${team}: ${members.message}` };
      for (const m of members.value) allowed.add(login(m));
    }
  }
  return { ok: true, accepts: (c) => allowed.has(login(c)) };
}
