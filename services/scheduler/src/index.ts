export { type BookingState, evolveBooking } from './domain/booking-state.js';
export { type BusinessFollowUps, type JobPlan, type PlannedJob, planJobs } from './domain/job-plan.js';
export { type RunningScheduler, type SchedulerOptions, startScheduler } from './server.js';
