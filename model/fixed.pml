/*
 * The hooks of the model once the two holes of docs/guarantees.md are fixed. Included by
 * model/delivery-fixed.pml and model/reports-fixed.pml, checked beside the real model so that the
 * fixes are known to close the holes before the code has them. When the code is fixed,
 * model/today.pml takes this block.
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
       printf("@ billing sweeper %d finds the job of pending message %d failed: retried, attempts reset\n", s, m) \
    :: else -> printf("@- billing sweeper %d: the job of message %d is not a dead letter\n", s, m) \
    fi; \
    m = 0; sweeping[s] = 0 \
  }

/* ---- hole 2 fixed: connectivity records billing's acknowledgement of the report, and sweeps ---
   The report job's listener records on the message that billing answered 202 or 409; the sweep
   re-sends, under the same job id, the report of each final message not yet acknowledged (and older
   than a threshold, which the untimed model drops). */
#define HOLE2_STATE bit racked[N];
#define HOLE2_REPORT_LISTENER \
  if \
  :: rep == REP_ACKED -> \
     atomic { \
       if \
       :: C_KILLED(rj[m]) \
       :: CAN(f_abort) -> f_abort++; recorded = 0; \
          printf("@ connectivity: PostgreSQL aborts recording that billing has the report of message %d: the listener throws\n", m) \
       :: true -> racked[m] = 1; printf("@ connectivity records that billing has the report of message %d\n", m) \
       fi \
     } \
  :: else -> skip \
  fi;
#define HOLE2_SWEEP \
  :: if \
     :: atomic { C_FINAL(0) && !racked[0] -> m = 0; printf("@- connectivity's sweeper finds the report of message 0 unacknowledged\n") } \
     fi; \
     atomic { \
       if \
       :: rj[m].st == J_NONE -> rj[m].st = J_WAIT; rj[m].made = 0; printf("@ connectivity's sweeper re-enqueues the report job of message %d\n", m) \
       :: else -> printf("@- connectivity's sweeper: a job holds the id of message %d's report, the add is a no-op\n", m) \
       fi; \
       m = 0 \
     }
