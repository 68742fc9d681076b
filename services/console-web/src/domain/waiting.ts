/**
 * How long a guest has waited for a person, in whole minutes (never negative: a clock a little
 * behind the server's must not show "-1 min").
 */
export function minutesWaited(sinceIso: string, now: Date): number {
  const elapsed = now.getTime() - Date.parse(sinceIso);
  return Math.max(0, Math.floor(elapsed / 60_000));
}

export type WaitingLabel =
  | { unit: 'justNow' }
  | { unit: 'minutes'; count: number }
  | { unit: 'hours'; count: number };

/** The unit the inbox shows: under a minute, minutes, then whole hours from 60 min on. */
export function waitingLabel(sinceIso: string, now: Date): WaitingLabel {
  const minutes = minutesWaited(sinceIso, now);
  if (minutes < 1) return { unit: 'justNow' };
  if (minutes < 60) return { unit: 'minutes', count: minutes };
  return { unit: 'hours', count: Math.floor(minutes / 60) };
}
