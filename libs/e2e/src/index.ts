export {
  echoedStatusWebhook,
  FakeWhatsApp,
  type FakeWhatsAppOptions,
  type GuestIdentity,
  messageWebhook,
  type Reply,
} from './fake-whatsapp.js';
export { FAST_RECOVERY_ENV } from './fast-recovery.js';
export * from './faults/index.js';
export { DEMO_BUSINESS_ID, ReservationReader } from './reservations.js';
export {
  E2E_ACCESS_TOKEN,
  type RunningSystem,
  SERVICE_NAMES,
  type ServiceName,
  type SystemOptions,
  startSystem,
} from './system.js';
