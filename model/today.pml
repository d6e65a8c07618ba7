/*
 * The hooks of the model as the code is TODAY, at the two places docs/guarantees.md names under
 * "What is not covered". Included by model/delivery-today.pml and model/reports-today.pml, the real
 * model. Its properties committed_settles (model/delivery.pml) and report_reaches_billing
 * (model/reports.pml) fail: their counterexamples are the two holes (docs/model.md). When the code
 * is fixed, this block takes the one in model/fixed.pml, and tools/model/run.mjs's HOLES loses the
 * fixed hole's property.
 */

/* ---- hole 1: billing's sweep (PendingMessageSweeper, OutboxSweeper.sweepOnce) ----------------
   Messaging.sendAll is all it does. A pending message whose job failed for good keeps that job under
   its id for 7 days, so the add is a no-op, and nothing else looks at it. */
#define HOLE1_AFTER_ADD ; m = 0; sweeping[s] = 0
#define HOLE1_SWEEP_FAILED_JOB

/* ---- hole 2: the delivery report (SmsDeliveryListener.onAttempt, UnsentSmsSweeper) -----------
   Connectivity keeps no trace of billing's acknowledgement: the listener returns at once for a
   report job. Its sweep re-sends SMS jobs only, never report jobs. */
#define HOLE2_STATE
#define HOLE2_REPORT_LISTENER
#define HOLE2_SWEEP
