import type { ServiceName } from './system.js';

/**
 * Short timers for tests that kill or pause a process: its unacknowledged messages come back after
 * AckWait or the sender's lease, and an unanswered send is reconciled, within seconds instead of
 * the production 30–60 s.
 */
export const FAST_RECOVERY_ENV: Partial<Record<ServiceName, Record<string, string>>> = {
  conversation: { CONVERSATION_ACK_WAIT_MS: '3000', CONVERSATION_RETRY_BASE_MS: '100' },
  sender: {
    // Every guest writes to one business number: Meta's higher tier (1,000 msg/s), not the default 80.
    SENDER_RATE_PER_SECOND: '1000',
    SENDER_LEASE_MS: '3000',
    SENDER_INTAKE_ACK_WAIT_MS: '3000',
    // Long enough that a Graph API call slowed by a loaded machine is not cut off: a cut-off call
    // is ambiguous (Meta may have it) and is sent again if no status names it within the window.
    SENDER_REQUEST_TIMEOUT_MS: '5000',
    SENDER_POLL_MS: '200',
    // The status webhooks of the fake Graph API must reach the restarted sender within it, through
    // ingress and NATS, on two cores busy with ten services: 10 s was seen too short once.
    SENDER_RECONCILE_WINDOW_MS: '20000',
  },
};
