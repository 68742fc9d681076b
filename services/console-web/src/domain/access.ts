import type { Role } from '@reserveit/console-api';

export type Section = 'day' | 'inbox' | 'settings' | 'staff' | 'tokens';

/** Hosts run the floor and the inbox; owners also configure the restaurant. */
export function sectionsFor(role: Role): Section[] {
  return role === 'owner' ? ['day', 'inbox', 'settings', 'staff', 'tokens'] : ['day', 'inbox'];
}
