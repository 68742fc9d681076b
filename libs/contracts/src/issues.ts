import type { z } from 'zod';

const SHOWN = 3;

/**
 * A short summary of validation issues for logs and the quarantine reason. Built from paths and
 * zod's own messages only, never from the input: webhook values hold phone numbers and names.
 */
export function summarizeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, SHOWN).map((issue) => {
    const path = issue.path.map(String).join('.');
    return `${path || '(root)'}: ${issue.message}`;
  });
  const more = issues.length > SHOWN ? ` (+${issues.length - SHOWN} more)` : '';
  return `${shown.join('; ')}${more}`;
}
