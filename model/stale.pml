/*
 * The hooks of the model as the code was with issue 22's three fixes but BEFORE the stale-read fix
 * (docs/model.md, "The stale-read race"): each sweep's retry of a failed job acts on the sweep's
 * first read of the row, which an outcome recorded since may have made stale. Included by
 * model/delivery-stale.pml and model/reports-stale.pml, which the runner checks expecting the
 * counterexamples docs/model.md shows (tools/model/run.mjs, STALE): billing's sweep retries the
 * dead letter of a message whose give-up was recorded (failed_resent_only_by_redrive), and the SMS
 * sweep gives a settled message's SMS job a new life (carrier_bound). model/code.pml has the fix.
 */

/* ---- hole 1 fixed: billing's sweep also looks at the job of each pending message -------------
   After the add (a no-op when a job holds the id), a message still pending whose job under that id
   failed for good has that job retried (DeadLetters.retry: job.retry, attempts reset): billing
   never learned the outcome of its last attempt (the record aborted, or a redrive stopped between
   markPending and the retry), so it is sent again; connectivity's 409 absorbs a repeat. */
#define HOLE1_AFTER_ADD
#define HOLE1_SWEEP_FAILED_JOB \
  ; atomic { \
    if \
    :: bj[m].st == J_FAILED -> bj[m].st = J_WAIT; bj[m].made = 0; \
       printf("@ billing sweeper %d finds the job of message %d failed: retried on its first read, attempts reset\n", s, m) \
    :: else -> printf("@- billing sweeper %d: the job of message %d is not a dead letter\n", s, m) \
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
       :: rj[m].st == J_FAILED -> rj[m].st = J_WAIT; rj[m].made = 0; \
          printf("@ connectivity's report sweeper finds the report job of message %d failed: retried on its first read, attempts reset\n", m) \
       :: else -> printf("@- connectivity's report sweeper: the report job of message %d is not a dead letter\n", m) \
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
    :: sj[m].st == J_FAILED -> sj[m].st = J_WAIT; sj[m].made = 0; \
       printf("@ connectivity's SMS sweeper finds the SMS job of message %d failed: retried on its first read, attempts reset\n", m) \
    :: else -> printf("@- connectivity's SMS sweeper: the SMS job of message %d is not a dead letter\n", m) \
    fi; \
    m = 0; sms_busy = 0 \
  }
#define SMS_AFTER_ADD
#define REPORT_NOT_QUEUED \
  printf("@ connectivity: Redis does not take the report job of message %d: logged, the report sweeper will send it\n", m)
