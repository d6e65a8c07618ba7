/*
 * The hooks of the model as the code is, with issue 22's three fixes: billing's sweep retries the
 * failed job of a pending message (hole 1), connectivity records billing's acknowledgement of a
 * report and sweeps unacknowledged ones (hole 2), and connectivity's SMS sweep retries the failed
 * SMS job of an accepted message, while a report job Redis does not take no longer fails the SMS
 * attempt (the same pattern as hole 1, at connectivity); and each sweep reads a row again after it
 * found its job failed, retrying only a job whose row still matches the sweep's query (the stale-read
 * fix, docs/model.md). Included by the real model's
 * configurations (model/delivery-one.pml, model/delivery-two.pml, model/reports-one.pml,
 * model/reports-two.pml). model/before.pml has the same hooks as the code was before the fixes,
 * model/stale.pml as it was before the stale-read fix.
 */

/* ---- hole 1 fixed: billing's sweep also looks at the job of each pending message -------------
   After the add (a no-op when a job holds the id), a message still pending whose job under that id
   failed for good has that job retried (DeadLetters.retry: job.retry, attempts reset): billing
   never learned the outcome of its last attempt (the record aborted, or a redrive stopped between
   markPending and the retry), so it is sent again; connectivity's 409 absorbs a repeat. */
/* Messaging.sendAgain (libs/messaging/src/lib/messaging.ts), after the add, in three steps of the
   sweeper, each one I/O: (c) queue.getJobState (Redis): the job is failed, or the sweep is done;
   (d) the sweeper's stillStale (PendingMessageSweeper → MessagesService → MessagesRepository,
   rowsStillMatching: one query, id = ANY(...) AND status = 'pending'): the message is still pending,
   or the sweep is done; (e) retryFailedJob (a Redis script that refuses unless the job is failed):
   job.retry, attempts reset. Every worker records an attempt's outcome before BullMQ fails the job,
   so a row still pending after its job was seen failed is one whose outcome was never recorded. */
#define HOLE1_AFTER_ADD
#define HOLE1_SWEEP_FAILED_JOB \
  ; atomic { \
    if \
    :: bj[m].st == J_FAILED -> printf("@- billing sweeper %d finds the job of message %d failed\n", s, m) \
    :: else -> printf("@- billing sweeper %d: the job of message %d is not a dead letter\n", s, m); m = 0; sweeping[s] = 0; goto end_sweep \
    fi \
  }; \
  atomic { \
    if \
    :: bst[m] == PENDING -> printf("@- billing sweeper %d reads message %d again: still pending\n", s, m) \
    :: else -> printf("@ billing sweeper %d reads message %d again: no longer pending, its dead letter stays\n", s, m); m = 0; sweeping[s] = 0; goto end_sweep \
    fi \
  }; \
  atomic { \
    if \
    :: bj[m].st == J_FAILED -> bj[m].st = J_WAIT; bj[m].made = 0; \
       printf("@ billing sweeper %d retries the failed job of pending message %d, attempts reset\n", s, m) \
    :: else -> printf("@- billing sweeper %d: the job of message %d is no longer failed, the retry is refused\n", s, m) \
    fi; \
    m = 0; sweeping[s] = 0 \
  }

/* ---- hole 2 fixed: connectivity records what became of the report, and sweeps owed ones -----
   SmsDeliveryListener.onAttempt, for a report job (apps/connectivity/src/sms/sms-delivery.listener.ts):
   when billing answered 202 or 409 it records report_acknowledged_at, and when the attempt gives up
   (the last one, failed) report_given_up_at (MessagesRepository.recordReport, one UPDATE each); if
   PostgreSQL aborts it the listener throws and the attempt fails. UnacknowledgedReportSweeper
   (OutboxSweeper.sweepOnce, Messaging.sendAgain) reads the final messages whose report is owed
   (neither recorded; older than a threshold, which the untimed model drops), re-adds each one's
   report job under the same job id, and then retries it, attempts reset, if it failed for good:
   its outcome was never recorded. report_stale[m] is the sweep's lazy read (docs/model.md): a read
   made just before the outcome was recorded may still be acted on. */
#define REPORT_GIVEN_UP(i) (rgiven[i])
#define REPORT_OWED(i) (C_FINAL(i) && !racked[i] && !rgiven[i])
#define HOLE2_REPORT_LISTENER \
  if \
  :: rep == REP_ACKED -> \
     atomic { \
       if \
       :: C_KILLED(rj[m]) \
       :: CAN(f_abort) -> f_abort++; recorded = 0; \
          printf("@ connectivity: PostgreSQL aborts recording that billing has the report of message %d: the listener throws\n", m) \
       :: true -> report_stale[m] = (REPORT_OWED(m) && !report_busy); racked[m] = 1; printf("@ connectivity records that billing has the report of message %d\n", m) \
       fi \
     } \
  :: rep != REP_ACKED && made >= REPORT_RETRIES -> \
     atomic { \
       if \
       :: C_KILLED(rj[m]) \
       :: CAN(f_abort) -> f_abort++; recorded = 0; \
          printf("@ connectivity: PostgreSQL aborts recording that the report of message %d gave up: the listener throws\n", m) \
       :: true -> report_stale[m] = (REPORT_OWED(m) && !report_busy); rgiven[m] = 1; printf("@ connectivity records that the report of message %d gave up\n", m) \
       fi \
     } \
  :: else -> skip \
  fi;
#define HOLE2_STATE bit racked[N]; bit rgiven[N]; bit report_stale[N]; bit report_busy;
#define HOLE2_READ(i) \
     :: atomic { REPORT_OWED(i) || report_stale[i] -> \
          printf("@- connectivity's report sweeper has read the report of message %d owed\n", i); m = i; report_stale[0] = 0; report_stale[1] = 0; report_busy = 1; \
          if \
          :: rj[i].st == J_NONE -> rj[i].st = J_WAIT; rj[i].made = 0; printf("@ connectivity's report sweeper re-enqueues the report job of message %d\n", i) \
          :: else -> printf("@- connectivity's report sweeper: a job holds the id of message %d's report, the add is a no-op\n", i) \
          fi }
#define HOLE2_SWEEP \
proctype ReportSweeper() { \
  byte m; \
end_sweep: \
  do \
  :: if \
     HOLE2_READ(0) \
     HOLE2_READ(1) \
     fi; \
     atomic { \
       if \
       :: rj[m].st == J_FAILED -> printf("@- connectivity's report sweeper finds the report job of message %d failed\n", m) \
       :: else -> printf("@- connectivity's report sweeper: the report job of message %d is not a dead letter\n", m); m = 0; report_busy = 0; goto end_sweep \
       fi \
     }; \
     atomic { \
       if \
       :: REPORT_OWED(m) -> printf("@- connectivity's report sweeper reads message %d again: its report still owed\n", m) \
       :: else -> printf("@ connectivity's report sweeper reads message %d again: its report no longer owed, the dead letter stays\n", m); m = 0; report_busy = 0; goto end_sweep \
       fi \
     }; \
     atomic { \
       if \
       :: rj[m].st == J_FAILED -> rj[m].st = J_WAIT; rj[m].made = 0; \
          printf("@ connectivity's report sweeper retries the failed report job of message %d, attempts reset\n", m) \
       :: else -> printf("@- connectivity's report sweeper: the report job of message %d is no longer failed, the retry is refused\n", m) \
       fi; \
       m = 0; report_busy = 0 \
     } \
  od \
}
#define REPORT_SWEEPER run ReportSweeper();

/* ---- the SMS pattern fixed: UnsentSmsSweeper retries the failed SMS job of an accepted message ---
   After its add (a no-op when a job holds the id), the sweep finds the SMS job of a message still
   accepted failed for good (settle aborted on its last attempt): it retries it (job.retry, attempts
   reset), a new life of the job. And SmsDeliveryListener.onAttempt no longer fails the SMS attempt
   when Redis does not take the report job: it logs and returns, the report sweeper re-sends it. */
#define SMS_SWEEP_FAILED_JOB \
  ; atomic { \
    if \
    :: sj[m].st == J_FAILED -> printf("@- connectivity's SMS sweeper finds the SMS job of message %d failed\n", m) \
    :: else -> printf("@- connectivity's SMS sweeper: the SMS job of message %d is not a dead letter\n", m); m = 0; sms_busy = 0; goto end_sweep \
    fi \
  }; \
  atomic { \
    if \
    :: cst[m] == C_ACCEPTED -> printf("@- connectivity's SMS sweeper reads message %d again: still accepted\n", m) \
    :: else -> printf("@ connectivity's SMS sweeper reads message %d again: no longer accepted, the dead letter stays\n", m); m = 0; sms_busy = 0; goto end_sweep \
    fi \
  }; \
  atomic { \
    if \
    :: sj[m].st == J_FAILED -> sj[m].st = J_WAIT; sj[m].made = 0; \
       printf("@ connectivity's SMS sweeper retries the failed SMS job of accepted message %d, attempts reset\n", m) \
    :: else -> printf("@- connectivity's SMS sweeper: the SMS job of message %d is no longer failed, the retry is refused\n", m) \
    fi; \
    m = 0; sms_busy = 0 \
  }
#define SMS_AFTER_ADD
#define REPORT_NOT_QUEUED \
  printf("@ connectivity: Redis does not take the report job of message %d: logged, the report sweeper will send it\n", m)
