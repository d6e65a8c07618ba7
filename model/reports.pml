/*
 * The reports half of the protocol (docs/model.md): connectivity's SMS job to the carrier, its sweep,
 * the settling of the message, and the delivery report job back to billing, for two messages. Not
 * compiled on its own: a configuration (model/reports-one.pml, model/reports-two.pml,
 * model/reports-before.pml) includes the hooks (model/code.pml or model/before.pml), then this file.
 *
 * Billing's side before the insert is the other half, model/delivery.pml; here it is what
 * connectivity sees of it: POSTs of the message (the first stores it, a replay is a 409), each of
 * which queues the SMS job while the message is accepted; and billing's report endpoint, which
 * answers 202 the first time and 409 after.
 */
#include "common.pml"

#define SMS_RETRIES 1 /* the SMS job: retries of its ExponentialBackoff (ConnectivityJobs.smsJobFor), a small bound */
#define REPORT_RETRIES 1 /* the report job: retries of its ExponentialBackoff (ConnectivityJobs.reportJobFor) */
#define POSTS 2 /* billing's POSTs of the message: the first delivery and one replay */

byte cst[N]; /* connectivity: messages.status */
byte bst[N]; /* billing: PENDING until the report (SENT or not: billing's endpoint only asks whether it is final) */
byte calls[N]; /* carrier calls for the message */
byte settle_aborts; /* ghost for carrier_bound: settle statements PostgreSQL aborted */
Job sj[N]; /* the SMS job of message m: id "sms <url>" (ConnectivityJobs.smsJobFor) */
Job rj[N]; /* the report job of message m: id "report <url>" (ConnectivityJobs.reportJobFor) */
mtype = { sms, report, delivered, undeliverable }; /* for printf */

/* The hooks of model/code.pml or model/before.pml: the state they add. */
HOLE2_STATE

/* The sweeps' lazy reads, as billing's (model/delivery.pml, docs/model.md): sms_stale[m] says the
   SMS sweeper could have read message m accepted since its last step, though it is no longer;
   sms_busy that it is between its add and its retry of a failed job (the fix). */
bit sms_stale[N];
bit sms_busy;

/* ==== billing's POSTs of the message, as connectivity receives them ============================ */

/* MessagesService.receive: INSERT ... ON CONFLICT DO NOTHING (one statement; 503 if it aborts), then
   MessagesService.queueSms while the message is accepted (503 if Redis does not take the job);
   the sender retries a 503 or a lost answer, and replays after a timeout: POSTS in all. */
proctype Billing(byte m) {
  byte posts;
  do
  :: atomic {
       posts < POSTS -> posts++;
       if
       :: CAN(f_abort) -> f_abort++; printf("@ connectivity: PostgreSQL aborts the insert of message %d: 503\n", m); goto posted
       :: cst[m] == C_NONE -> cst[m] = C_ACCEPTED; bst[m] = PENDING; printf("@ connectivity stores message %d\n", m)
       :: cst[m] == C_ACCEPTED -> printf("@ connectivity already has message %d: 409\n", m)
       :: C_FINAL(m) -> printf("@ connectivity already has message %d, settled: 409\n", m); goto posted
       fi
     };
     atomic {
       if
       :: CAN(f_down) -> f_down++; printf("@ connectivity: Redis does not take the SMS job of message %d: 503\n", m)
       :: true -> ADD(sj[m]); printf("@ connectivity queues the SMS job of message %d\n", m)
       fi
     };
posted:
     skip
  :: break
  od
}

/* ==== connectivity's worker ==================================================================== */

/* RequestWorker.attempt (libs/messaging/src/lib/request-worker.ts) running connectivity's jobs, with
   SmsDeliveryListener.onAttempt (apps/connectivity/src/sms/sms-delivery.listener.ts) told of each
   attempt before BullMQ records its outcome: the SMS to the carrier (the SmsGateway's submission),
   and the report to billing's <message url>/delivery-reports. */
#define CARRIER_TOOK 1
#define CARRIER_REFUSED 2 /* a 4xx: permanent, UnrecoverableError */
#define CARRIER_FAILED 3 /* no answer, 5xx, or its answer lost after it took the SMS: transient */
#define REP_ACKED 1 /* billing answered 202 or 409 */
#define REP_FAILED 2 /* 503, or the answer lost */

#define C_RESET m = 0; made = 0; res = 0; rep = 0; recorded = 0

/* the branch of a step's atomic in which the worker is killed before the step: its job keeps a lock
   nobody renews */
#define C_KILLED(job) \
  CAN(f_kill) -> f_kill++; printf("@ connectivity's worker is killed (message %d)\n", m); \
  job.lock = (job.st == J_ACTIVE && job.lock == 1 -> L_DEAD : job.lock); \
  C_RESET; goto idle

/* BullMQ's stalled-jobs check: a job whose lock expired waits again, its attempts unspent */
#define C_STALL(job, kind, i) \
  :: atomic { job.st == J_ACTIVE && job.lock == L_DEAD -> job.st = J_WAIT; job.lock = L_NONE; \
       printf("@ the lock on the %e job of message %d expires: stalled, it waits again\n", kind, i) }

/* BullMQ records the outcome if the worker still holds the lock */
#define C_RETRY_OR_FAIL(job, RETRY_BUDGET, kind) \
  job.made++; \
  if \
  :: job.made <= RETRY_BUDGET -> job.st = J_WAIT; printf("@ the %e job of message %d will be retried\n", kind, m) \
  :: else -> job.st = J_FAILED; printf("@ the %e job of message %d fails for good: a dead letter\n", kind, m) \
  fi
/* RequestWorker: the worker takes a waiting job (BullMQ moveToActive) under its lock */
#define C_TAKE(i) \
  :: atomic { sj[i].st == J_WAIT -> sj[i].st = J_ACTIVE; sj[i].lock = 1; m = i; made = sj[i].made } -> goto sms_attempt \
  :: atomic { rj[i].st == J_WAIT -> rj[i].st = J_ACTIVE; rj[i].lock = 1; m = i; made = rj[i].made } -> goto report_attempt
#define C_LOCK_LOST(kind) printf("@ connectivity's worker no longer holds the %e job of message %d: BullMQ refuses its outcome\n", kind, m)

proctype ConnectivityWorker() {
  byte m, made, res, rep;
  bit recorded; /* the listener returned (it threw otherwise) */
idle:
end_idle:
  if
  C_TAKE(0)
  C_TAKE(1)
  C_STALL(sj[0], sms, 0)
  C_STALL(rj[0], report, 0)
  C_STALL(sj[1], sms, 1)
  C_STALL(rj[1], report, 1)
  fi;
  goto idle;

sms_attempt:
  /* the carrier call: the carrier is no idempotent receiver, every call may send an SMS */
  atomic {
    if
    :: C_KILLED(sj[m])
    :: true ->
       calls[m]++;
       if
       :: res = CARRIER_TOOK; printf("@ the carrier takes the SMS of message %d: call %d, attempt %d\n", m, calls[m], made + 1)
       :: CAN(f_lost) -> f_lost++; res = CARRIER_FAILED; printf("@ the carrier takes the SMS of message %d, its answer is lost: call %d, attempt %d\n", m, calls[m], made + 1)
       :: res = CARRIER_REFUSED; printf("@ the carrier refuses the SMS of message %d for good: call %d\n", m, calls[m])
       :: res = CARRIER_FAILED; printf("@ the carrier fails the SMS of message %d: call %d, attempt %d\n", m, calls[m], made + 1)
       fi
    fi
  };
  /* the listener: a retrying attempt records nothing; a delivered or given-up one settles the
     message (MessagesService.settle, one statement), then queues its report (Messaging.send) */
  if
  :: res == CARRIER_FAILED && made < SMS_RETRIES -> recorded = 1
  :: else ->
     atomic {
       if
       :: C_KILLED(sj[m])
       :: CAN(f_abort) -> f_abort++; settle_aborts++; printf("@ connectivity: PostgreSQL aborts settling message %d: the listener throws\n", m)
       :: true -> recorded = 1;
          if
          :: cst[m] == C_ACCEPTED -> sms_stale[m] = !sms_busy; cst[m] = (res == CARRIER_TOOK -> C_DELIVERED : C_UNDELIVERABLE);
             printf("@ connectivity settles message %d: %e\n", m, (res == CARRIER_TOOK -> delivered : undeliverable))
          :: else -> printf("@ connectivity finds message %d already settled\n", m)
          fi
       fi
     };
     if
     :: recorded ->
        atomic {
          if
          :: C_KILLED(sj[m])
          :: CAN(f_down) -> f_down++; REPORT_NOT_QUEUED
          :: true -> ADD(rj[m]); printf("@ connectivity queues the report job of message %d\n", m)
          fi
        }
     :: else -> skip
     fi
  fi;
  atomic {
    if
    :: C_KILLED(sj[m])
    :: true ->
       if
       :: sj[m].st == J_ACTIVE && sj[m].lock == 1 ->
          sj[m].lock = L_NONE;
          if
          :: recorded && res == CARRIER_TOOK -> sj[m].st = J_DONE; printf("@ the SMS job of message %d completes\n", m)
          :: recorded && res == CARRIER_REFUSED -> sj[m].made++; sj[m].st = J_FAILED; printf("@ the SMS job of message %d fails for good: refused\n", m)
          :: else -> C_RETRY_OR_FAIL(sj[m], SMS_RETRIES, sms)
          fi
       :: else -> C_LOCK_LOST(sms)
       fi;
       C_RESET
    fi
  };
  goto idle;

report_attempt:
  /* POST <message url>/delivery-reports: MessagesController.report → MessagesService.recordDeliveryReport
     → MessagesRepository.recordDeliveryReport, one statement: 202 the first time, 409 for a repeat;
     the answer may be lost after billing committed */
  atomic {
    if
    :: C_KILLED(rj[m])
    :: CAN(f_abort) -> f_abort++; rep = REP_FAILED; printf("@ billing: PostgreSQL aborts recording the report of message %d: 503\n", m)
    :: true ->
       if
       :: !FINAL(m) -> bst[m] = (cst[m] == C_DELIVERED -> DELIVERED : UNDELIVERABLE); printf("@ billing records the report of message %d: 202, %e\n", m, (cst[m] == C_DELIVERED -> delivered : undeliverable))
       :: else -> printf("@ billing already has the report of message %d: 409\n", m)
       fi;
       if
       :: CAN(f_lost) -> f_lost++; rep = REP_FAILED; printf("@ billing's answer to the report of message %d is lost\n", m)
       :: true -> rep = REP_ACKED
       fi
    fi;
    recorded = 1 /* the listener returns at once for a report job, unless the hook records more */
  };
  HOLE2_REPORT_LISTENER
  atomic {
    if
    :: C_KILLED(rj[m])
    :: true ->
       if
       :: rj[m].st == J_ACTIVE && rj[m].lock == 1 ->
          rj[m].lock = L_NONE;
          if
          :: recorded && rep == REP_ACKED -> rj[m].st = J_DONE; printf("@ the report job of message %d completes\n", m)
          :: else -> C_RETRY_OR_FAIL(rj[m], REPORT_RETRIES, report)
          fi
       :: else -> C_LOCK_LOST(report)
       fi;
       C_RESET
    fi
  };
  goto idle
}

/* ==== connectivity's sweep ===================================================================== */

/* UnsentSmsSweeper (apps/connectivity/src/sms/unsent-sms.sweeper.ts) on OutboxSweeper.sweepOnce:
   MessagesService.acceptedOlderThan (one query), then Messaging.sendAgain under the same job ids
   (the add; then, with the fix, the retry of a job failed for good: SMS_SWEEP_FAILED_JOB). The
   report sweep (UnacknowledgedReportSweeper, with the fix: HOLE2_SWEEP) runs in the same process. */
#define SMS_READ(i) \
     :: atomic { cst[i] == C_ACCEPTED || sms_stale[i] -> \
          printf("@- connectivity's SMS sweeper has read message %d accepted\n", i); m = i; sms_stale[0] = 0; sms_stale[1] = 0; sms_busy = 1; \
          if \
          :: sj[m].st == J_NONE -> sj[m].st = J_WAIT; sj[m].made = 0; printf("@ connectivity's SMS sweeper re-enqueues the SMS job of message %d\n", m) \
          :: else -> printf("@- connectivity's SMS sweeper: a job holds the id of message %d's SMS, the add is a no-op\n", m) \
          fi \
          SMS_AFTER_ADD }
proctype SmsSweeper() {
  byte m;
end_sweep:
  do
  :: if
     SMS_READ(0)
     SMS_READ(1)
     fi
     SMS_SWEEP_FAILED_JOB
  od
}

HOLE2_SWEEP

/* Redis loses every job (a restart without persistence, a failover) */
proctype Redis() {
  do
  :: atomic { CAN(f_loss) -> f_loss++; CLEAR(sj[0]); CLEAR(rj[0]); CLEAR(sj[1]); CLEAR(rj[1]); printf("@ Redis loses every job\n") }
  :: break
  od
}

/* ==== the invariant, checked in every state by one run ========================================== */
/* the carrier bound: a life of the SMS job makes at most SMS_RETRIES + 1 attempts, one call each,
   and each worker killed after its call repeats at most one without spending an attempt. A new
   life begins when the job is created again after Redis lost it (the sweep, a replay's queueSms),
   or when the SMS sweep retries it after it failed for good with the message still accepted, which
   only a settle aborted on its last attempt leaves: the sweep reads the message again after it saw
   the job failed, and retries only if it is still accepted (the stale-read fix, docs/model.md).
   lives <= 1 + Redis losses + settle aborts,
   calls <= (SMS_RETRIES + 1) * lives + kills */
#define CARRIER_BOUND ((SMS_RETRIES + 1) * (1 + f_loss + settle_aborts) + f_kill)
#define CARRIER_CALLS_BOUNDED (calls[0] <= CARRIER_BOUND && calls[1] <= CARRIER_BOUND)
proctype Invariants() {
end_invariants: /* blocked for good while it holds */
  atomic { !CARRIER_CALLS_BOUNDED -> assert(CARRIER_CALLS_BOUNDED) /* property carrier_bound */ }
}

#define PROCESSES \
  run Invariants(); \
  run ConnectivityWorker(); \
  run SmsSweeper(); \
  REPORT_SWEEPER \
  run Redis()

/* ==== properties (docs/model.md) ============================================================= */
ltl carrier_bound { [] CARRIER_CALLS_BOUNDED }
ltl accepted_settles { [] ((cst[0] == C_ACCEPTED -> <> C_FINAL(0)) && (cst[1] == C_ACCEPTED -> <> C_FINAL(1))) }
/* report_reaches_billing: billing ends with the final status, or the report is visible to
   connectivity's operator as failed: its job a dead letter, or (the code) report_given_up_at recorded */
ltl report_reaches_billing {
  [] ((C_FINAL(0) -> <> (FINAL(0) || rj[0].st == J_FAILED || REPORT_GIVEN_UP(0))) &&
      (C_FINAL(1) -> <> (FINAL(1) || rj[1].st == J_FAILED || REPORT_GIVEN_UP(1))))
}
