export {
  BACKLOG_DOWN_MS,
  DUPLICATE_SHARE,
  FAULTS,
  type Fault,
  INFRA_DOWN_MS,
  PAUSE_MS,
  selectFaults,
} from './catalog.js';
export { type ClaimTimes, claimTimes } from './claim-time.js';
export { type FaultInfra, startFaultInfra } from './fault-infra.js';
export { type Drain, deliveryCounts, drain, type MessageOutcome, recovery } from './fault-report.js';
export { type FaultRunOptions, type FaultRunReport, runFault } from './fault-run.js';
export { deliverLikeMeta } from './meta-delivery.js';
export { passed, reportTable } from './report-table.js';
