import { unaryCall } from '@reserveit/rpc';
import type { Logger } from '@reserveit/telemetry';
import type { StaffAccounts } from './staff-accounts.js';
import type { Upstreams } from './upstreams.js';

/**
 * The local stack's login (CONSOLE_DEV_LOGIN=email:password, refused in production by the config):
 * an owner of every restaurant registered when the console starts.
 */
export async function devLogin(
  login: string,
  deps: { staff: StaffAccounts; upstreams: Upstreams; deadlineMs: number; logger: Logger },
): Promise<void> {
  const separator = login.indexOf(':');
  const email = login.slice(0, separator);
  const password = login.slice(separator + 1);
  const { businesses } = await unaryCall(
    deps.upstreams.reservation,
    deps.upstreams.reservation.listBusinesses,
    {},
    deps.deadlineMs,
  );
  for (const business of businesses) {
    await deps.staff.add({
      email,
      name: 'Development owner',
      businessId: business.id,
      role: 'owner',
      password,
    });
  }
  deps.logger.info({ email, restaurants: businesses.length }, 'development login ready (CONSOLE_DEV_LOGIN)');
}
