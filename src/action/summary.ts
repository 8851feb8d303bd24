/** The job summary (GITHUB_STEP_SUMMARY), appended to; a no-op outside a runner. */
import * as core from '@actions/core';

export async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(markdown.endsWith('\n') ? markdown : `${markdown}\n`).write();
}
