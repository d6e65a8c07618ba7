/*
 * The hooks of the model as the code was BEFORE issue 22's fixes, at the places model/code.pml
 * fixes. Included by model/delivery-before.pml and model/reports-before.pml, which the runner
 * checks expecting the counterexamples docs/model.md shows: committed_settles (hole 1),
 * report_reaches_billing (hole 2) and accepted_settles (the same pattern as hole 1 at
 * connectivity) fail (tools/model/run.mjs, BEFORE).
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
#define REPORT_SWEEPER
#define REPORT_GIVEN_UP(i) 0

/* ---- the SMS pattern: UnsentSmsSweeper only adds (Messaging.sendAll); an accepted message whose
   SMS job failed for good (settle aborted on its last attempt) keeps it under its id, the add is a
   no-op. And SmsDeliveryListener.onAttempt throws when Redis does not take the report job: the SMS
   attempt fails (retried, or failed for good on the last attempt). */
#define SMS_SWEEP_FAILED_JOB
#define SMS_AFTER_ADD ; m = 0; sms_busy = 0
#define REPORT_NOT_QUEUED \
  recorded = 0; printf("@ connectivity: Redis does not take the report job of message %d: the listener throws\n", m)
