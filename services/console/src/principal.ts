import type { Role } from '@reserveit/console-api';

/**
 * Who is calling: a staff member with a session, or an integration with an API token. `roles` is
 * the only place the server learns which restaurants a request may touch (tenant-scope.ts).
 */
export interface Principal {
  kind: 'session' | 'token';
  staffId: string;
  /** Shown to guests' history as the author of staff actions. */
  name: string;
  roles: ReadonlyMap<string, Role>;
  /** Session principals only: what state-changing requests must echo in x-csrf-token. */
  csrfToken?: string;
  sessionHash?: string;
  expiresAt?: Date;
}
