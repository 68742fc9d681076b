import type { Membership, Session } from '@reserveit/console-api';
import { useQuery } from '@tanstack/react-query';
import { call, setCsrfToken } from './api/client.js';
import { ApiFailure } from './api/errors.js';
import { keys } from './domain/query-keys.js';

/** The signed-in staff member, or null when there is no session (a 401). */
export async function loadSession(): Promise<Session | null> {
  try {
    const session = await call('session', {});
    setCsrfToken(session.csrfToken);
    return session;
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw err;
  }
}

export function useSession() {
  return useQuery({ queryKey: keys.session, queryFn: loadSession, staleTime: 60_000, retry: false });
}

export function membershipOf(session: Session, businessId: string): Membership | undefined {
  return session.restaurants.find((r) => r.businessId === businessId);
}

/**
 * The restaurant's time zone: times in the inbox are the restaurant's wall clock, whatever the zone
 * of the device showing them. Undefined (the device's zone) until the session has loaded.
 */
export function useRestaurantTimeZone(businessId: string): string | undefined {
  const session = useSession();
  return session.data ? membershipOf(session.data, businessId)?.timezone : undefined;
}
