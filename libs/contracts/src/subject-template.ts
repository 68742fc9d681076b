/**
 * Subjects that carry a guest identity (a phone number or business-scoped user id) for ordering.
 * Traces and metrics must not: Jaeger is not a place for personal data. The prefix group keeps an
 * optional deployment/test prefix.
 */
const GUEST_SUBJECTS = [
  /^((?:[^.]+\.)?wa\.in\.msg\.\d+\.[^.]+)\.[^.]+$/,
  /^((?:[^.]+\.)?wa\.in\.status\.[^.]+)\.[^.]+$/,
  /^((?:[^.]+\.)?out\.cmd\.\d+\.[^.]+)\.[^.]+$/,
  // Commands published before the partition token; still in the stream and maybe redriven.
  /^((?:[^.]+\.)?out\.cmd\.[^.]+)\.[^.]+$/,
];

/** The subject with its guest token replaced by `{guest}`, for span names and attributes. */
export function subjectTemplate(subject: string): string {
  for (const pattern of GUEST_SUBJECTS) {
    const match = pattern.exec(subject);
    if (match) return `${match[1]}.{guest}`;
  }
  return subject;
}
