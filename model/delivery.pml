/*
 * The delivery half of the protocol (docs/model.md): billing's outbox and its delivery jobs to
 * connectivity's insert-once, with billing's statuses as the attempts, the reports and the operator
 * move them. Not compiled on its own: a configuration (model/delivery-one.pml, model/delivery-two.pml,
 * model/delivery-before.pml) includes the hooks (model/code.pml or model/before.pml), then this file.
 *
 * Connectivity's side beyond the insert (its SMS job, the carrier, the report job) is the other half,
 * model/reports.pml; here it is what billing can see of it: the SMS job queued or a 503, and a
 * report that may come (202 the first time, 409 after), any number of times, at any moment after
 * connectivity stored the message, or never.
 *
 * Mutants (one compile-time switch each, and no other): NO_RECEIVER_DEDUP, ENQUEUE_BEFORE_COMMIT,
 * SWEEP_FRESH_JOB_ID, ACK_BEFORE_COMMIT, FINAL_STATUS_MUTABLE, NO_LOCK_EXPIRY.
 */
#include "common.pml"

#define RETRIES 1 /* billing's delivery job: retries of its ExponentialBackoff (message-delivery-jobs.ts), a small bound */
#define REDRIVES 1 /* the operator's retries of dead letters */

byte bst[N]; /* billing: messages.status */
byte cst[N]; /* connectivity: messages.status */
byte crows[N]; /* rows connectivity stored for the message's URL */

/* billing's delivery jobs by job id: id m is the one MessageDeliveryJobs.jobFor derives from message
   m's URL (RequestJob.identifiedBy, RequestJob.jobId); ids N + m exist only in the mutant whose sweep
   makes up a fresh id */
#ifdef SWEEP_FRESH_JOB_ID
#define NIDS (2 * N)
#define LIVE(m) (LIVE_JOB(bj[m]) + LIVE_JOB(bj[N + m]))
#else
#define NIDS N
#define LIVE(m) (LIVE_JOB(bj[m]))
#endif
Job bj[NIDS];

/* ghosts for the properties: the last status write of message m was the operator's markPending; the
   operator's retry put m's dead letter back to wait; since then, an attempt of m met connectivity
   not up (no answer, or a 503) */
bit by_redrive[N];
bit redriven[N];
bit conn_trouble[N];
#define TROUBLE(m) conn_trouble[m] = conn_trouble[m] | redriven[m]

/* the sweeps' lazy reads (BillingSweeper below) */
bit sweeping[2]; /* the sweeper is between its add and its retry of a failed job (hole 1's fix) */
bit stale[4];
#define LEAVES_PENDING(i) \
  stale[i] = stale[i] | (bst[i] == PENDING && !sweeping[0]); \
  stale[N + i] = stale[N + i] | (bst[i] == PENDING && !sweeping[1])

/* ==== billing: taking a payment =============================================================== */

/* PaymentsService.pay (apps/billing/src/payments/payments.service.ts): PaymentsRepository.insertWithMessage
   stores the payment and its outbox message in one statement; then Messaging.send queues the
   message's job (MessageDeliveryJobs.jobFor); a failed send is only logged: the row waits for the sweep. */
#define COMMIT \
  atomic { \
    if \
    :: CAN(f_abort) -> f_abort++; printf("@ payment %d: PostgreSQL aborts the insert of payment and message: 503, nothing stored\n", m); goto paid \
    :: true -> bst[m] = PENDING; printf("@ payment %d and its message %d committed in one statement: pending\n", m, m) \
    fi \
  }
#define ENQUEUE \
  atomic { \
    if \
    :: CAN(f_down) -> f_down++; printf("@ payment %d: Redis does not take the job of message %d; it waits for the sweep\n", m, m) \
    :: true -> ADD(bj[m]); printf("@ payment %d: the job of message %d is queued under the id of its URL\n", m, m) \
    fi \
  }

proctype Pay(byte m) {
#ifdef ENQUEUE_BEFORE_COMMIT
  ENQUEUE;
  COMMIT;
#else
  COMMIT;
  ENQUEUE;
#endif
paid:
  skip
}

/* ==== billing: delivering a message =========================================================== */

/* RequestWorker (libs/messaging/src/lib/request-worker.ts) running billing's delivery job: attempt()
   sends the POST, waits for the answer, reports the attempt to MessageDeliveryListener.onAttempt
   (MessagesService.recordAttempt → DeliveryAttemptLog.record → MessagesRepository.recordAttempts)
   BEFORE BullMQ records the outcome; a listener that throws fails the attempt. Connectivity's
   POST /messages (MessagesController.receive → MessagesService.receive) runs while it waits. */

/* what connectivity did with the request */
#define R_NONE 0
#define R_ACCEPTED 1 /* stored now: 202 once the SMS job is queued */
#define R_DUPLICATE 2 /* stored before, same content, still accepted: 409 once the SMS job is queued */
#define R_DUPLICATE_FINAL 3 /* stored before, already final: 409, nothing to queue */
#define R_UNAVAILABLE 4 /* 503: the insert aborted, or Redis did not take the SMS job */

#define M (j % N)
#define B_RESET j = 0; made = 0; rec = R_NONE; ok = 0; busy[w] = 0

/* the branch of a step's atomic in which the worker process is killed before the step: its job
   keeps a lock that nobody renews */
#define B_KILLED \
  CAN(f_kill) -> f_kill++; printf("@ billing worker %d is killed, holding the job of message %d\n", w, M); \
  bj[j].lock = (bj[j].st == J_ACTIVE && bj[j].lock == w + 1 -> L_DEAD : bj[j].lock); \
  B_RESET; goto idle

/* RequestWorker: the worker takes a waiting job (BullMQ moveToActive) under its lock. The two
   workers are alike, so of two idle ones the first takes (a symmetry reduction: exact, since no
   step depends on which worker it is) */
bit busy[2];
#define B_TAKE(i) \
  :: atomic { bj[i].st == J_WAIT && (w == 0 || busy[0]) -> busy[w] = 1; bj[i].st = J_ACTIVE; bj[i].lock = w + 1; j = i; made = bj[i].made; \
       printf("@ billing worker %d takes the job of message %d: attempt %d\n", w, i % N, made + 1) }
/* BullMQ's stalled-jobs check, run by every worker (lockDuration, stalledInterval): a job whose lock
   expired goes back to wait, its attempts unspent (maxStalledCount 1000) */
#ifdef NO_LOCK_EXPIRY
#define B_STALL(i)
#else
#define B_STALL(i) \
  :: atomic { bj[i].st == J_ACTIVE && bj[i].lock == L_DEAD -> bj[i].st = J_WAIT; bj[i].lock = L_NONE; \
       printf("@ the lock on the job of message %d expires: stalled, it waits again\n", i % N) }; \
     goto idle
#endif

/* MessagesService.receive: INSERT ... ON CONFLICT (message_url_canonical) DO NOTHING under the unique
   index, then, on a conflict, the stored row (existing()); billing always sends the content it
   committed, so its replays are never conflicting */
#ifdef NO_RECEIVER_DEDUP
#define C_STORE \
  crows[M]++; rec = R_ACCEPTED; cst[M] = (cst[M] == C_NONE -> C_ACCEPTED : cst[M]); \
  printf("@ connectivity stores message %d: %d rows\n", M, crows[M])
#else
#define C_STORE \
  if \
  :: cst[M] == C_NONE -> cst[M] = C_ACCEPTED; crows[M]++; rec = R_ACCEPTED; printf("@ connectivity stores message %d\n", M) \
  :: cst[M] == C_ACCEPTED -> rec = R_DUPLICATE; printf("@ connectivity already has message %d\n", M) \
  :: C_FINAL(M) -> rec = R_DUPLICATE_FINAL; printf("@ connectivity already has message %d, settled\n", M) \
  fi
#endif
#define C_INSERT \
  if \
  :: CAN(f_abort) -> f_abort++; rec = R_UNAVAILABLE; TROUBLE(M); printf("@ connectivity: PostgreSQL aborts the insert of message %d: 503\n", M) \
  :: true -> C_STORE \
  fi; \
  if \
  :: rec == R_DUPLICATE_FINAL -> C_ANSWER \
  :: else -> skip \
  fi
/* MessagesService.queueSms: a 202 or a 409 promises the SMS job exists (ConnectivityJobs.smsJobFor,
   Messaging.send); 503 when Redis does not take it. The SMS job itself is model/reports.pml's. */
#define C_QUEUE_SMS \
  if \
  :: CAN(f_down) -> f_down++; rec = R_UNAVAILABLE; TROUBLE(M); printf("@ connectivity: Redis does not take the SMS job of message %d: 503\n", M) \
  :: true -> printf("@ connectivity queues the SMS job of message %d\n", M); C_ANSWER \
  fi
/* connectivity's last step ends with its answer, 202 or 409, which travels back (the worker awaits
   it, nothing else reads it); it may be lost after connectivity committed: the attempt times out */
#define C_ANSWER \
  if \
  :: CAN(f_lost) -> f_lost++; TROUBLE(M); printf("@ the answer about message %d is lost: billing worker %d times out\n", M, w) \
  :: true -> ok = 1; printf("@ billing worker %d gets 202/409 for message %d\n", w, M) \
  fi; \
  rec = R_NONE

/* MessagesRepository.recordAttempts, one statement: a message only moves forward (a 202 makes a
   pending or failed message sent; the last attempt giving up makes a pending message failed) */
#ifdef FINAL_STATUS_MUTABLE
#define ACK_MOVES_STATUS (ok)
#else
#define ACK_MOVES_STATUS (ok && (bst[M] == PENDING || bst[M] == FAILED))
#endif
#define B_RECORD \
  if \
  :: CAN(f_abort) -> f_abort++; ok = 0; \
     printf("@ billing: PostgreSQL aborts the record of attempt %d of message %d: the listener throws, the attempt fails\n", made + 1, M) \
  :: true -> \
     if \
     :: ACK_MOVES_STATUS -> LEAVES_PENDING(M); bst[M] = SENT; by_redrive[M] = 0; printf("@ billing records attempt %d of message %d: sent\n", made + 1, M) \
     :: !ok && made >= RETRIES && bst[M] == PENDING -> LEAVES_PENDING(M); bst[M] = FAILED; \
        printf("@ billing records attempt %d of message %d: gave up, failed\n", made + 1, M) \
     :: else -> printf("@ billing records attempt %d of message %d\n", made + 1, M) \
     fi \
  fi; \
  made = 0

/* BullMQ records the outcome if the worker still holds the job's lock (moveToCompleted and
   moveToFailed check it): completed, delayed for a retry (attemptsMade + 1 ≤ retries), or failed
   for good, kept under its id */
#define B_OUTCOME \
  if \
  :: bj[j].st == J_ACTIVE && bj[j].lock == w + 1 -> \
     bj[j].lock = L_NONE; \
     if \
     :: ok -> bj[j].st = J_DONE; printf("@ the job of message %d completes\n", M) \
     :: !ok && bj[j].made < RETRIES -> bj[j].made++; bj[j].st = J_WAIT; printf("@ the job of message %d will be retried\n", M) \
     :: !ok && bj[j].made >= RETRIES -> bj[j].made++; bj[j].st = J_FAILED; \
        printf("@ the job of message %d fails for good: a dead letter, kept 7 days under its id\n", M) \
     fi \
  :: else -> printf("@ billing worker %d no longer holds the job of message %d: BullMQ refuses its outcome\n", w, M) \
  fi; \
  B_RESET

proctype BillingWorker(byte w) {
  byte j, made, rec;
  bit ok; /* 202/409 came back; after the record: and the record committed */
idle:
end_idle:
  if
  B_TAKE(0)
  B_TAKE(1)
#ifdef SWEEP_FRESH_JOB_ID
  B_TAKE(2)
  B_TAKE(3)
#endif
  B_STALL(0)
  B_STALL(1)
#ifdef SWEEP_FRESH_JOB_ID
  B_STALL(2)
  B_STALL(3)
#endif
  fi;
#ifdef ACK_BEFORE_COMMIT
  /* the mutant: connectivity answers 202 before its insert commits */
  atomic { if :: B_KILLED :: true -> C_ANSWER fi };
  atomic { C_INSERT };
  if
  :: atomic { rec == R_ACCEPTED || rec == R_DUPLICATE -> C_QUEUE_SMS }
  :: else -> skip
  fi;
#else
  atomic { if :: B_KILLED :: true -> C_INSERT fi };
  if
  :: atomic { rec == R_ACCEPTED || rec == R_DUPLICATE -> C_QUEUE_SMS }
  :: else -> skip
  fi;
#endif
  atomic { if :: B_KILLED :: true -> B_RECORD fi };
  atomic { if :: B_KILLED :: true -> B_OUTCOME fi };
  goto idle
}

/* ==== billing: the sweep ====================================================================== */

/* PendingMessageSweeper (apps/billing/src/messages/pending-message.sweeper.ts) on OutboxSweeper.sweepOnce
   (libs/messaging/src/lib/outbox-sweeper.ts): MessagesService.pendingOlderThan reads the pending
   messages (one query), then Messaging.sendAll adds each one's job under the id of its URL (one
   MULTI); with hole 1's fix (Messaging.sendAgain) it then retries the job of each one it finds
   failed for good (HOLE1_SWEEP_FAILED_JOB). Two replicas sweep at once. */
#ifdef SWEEP_FRESH_JOB_ID
#define SWEEP_ADD ADD(bj[N + m]); printf("@ billing sweeper %d re-enqueues message %d under a fresh job id\n", s, m)
#else
#define SWEEP_ADD \
  if \
  :: bj[m].st == J_NONE -> bj[m].st = J_WAIT; bj[m].made = 0; printf("@ billing sweeper %d re-enqueues message %d under the id of its URL\n", s, m) \
  :: else -> printf("@- billing sweeper %d: a job holds the id of message %d, the add is a no-op\n", s, m) \
  fi
#endif
/*
 * The sweep's read is lazy (docs/model.md, "The sweeps' reads"): a sweep reads the message pending
 * (one query), then adds its job (one MULTI); the read only decides which message the add is for,
 * and the add's effect depends on the jobs at the moment of the add. So the model does not keep
 * "read, not yet added" as a state of the sweeper: the add of message m may happen whenever m is
 * pending, or when m was pending at some moment since the sweeper's last step, which the ghost
 * stale[s * N + m] remembers (set when m leaves pending while sweeper s is idle, cleared at the
 * sweeper's every step). Exact: a read at r and the add at a > r are a run of the model's with the
 * read moved to a (m still pending) or to just before the first status change after r (stale).
 */
/* the two sweepers are alike: when both are idle with the same stale reads, the first one moves (a
   symmetry reduction, exact: no step depends on which sweeper it is) */
#define SWEEPERS_ALIKE (!sweeping[0] && !sweeping[1] && stale[0] == stale[N] && stale[1] == stale[N + 1])
#define SWEEP_READ(i) \
     :: atomic { (bst[i] == PENDING || stale[s * N + i]) && (s == 0 || !SWEEPERS_ALIKE) -> \
          printf("@- billing sweeper %d has read message %d pending\n", s, i); m = i; stale[s * N] = 0; stale[s * N + 1] = 0; \
          sweeping[s] = 1; SWEEP_ADD HOLE1_AFTER_ADD }
proctype BillingSweeper(bit s) {
  byte m;
end_sweep:
  do
  :: if
     SWEEP_READ(0)
     SWEEP_READ(1)
     fi
     HOLE1_SWEEP_FAILED_JOB
  od
}

/* ==== connectivity's reports, as billing sees them ============================================= */

/* The settling of a stored message (SmsDeliveryListener.onAttempt → MessagesService.settle, once) and
   its report job's POST to billing's <message url>/delivery-reports (MessagesController.report →
   MessagesService.recordDeliveryReport → MessagesRepository.recordDeliveryReport, one statement: the
   message takes the final status unless it has one: 202; a repeat changes nothing: 409). Whether
   and when they happen is model/reports.pml's business; here they may happen at any moment after
   connectivity stored the message, or never (the environment stops). Billing's code treats both
   final statuses alike, so message 0 ends delivered and message 1 undeliverable: both are covered. */
#define C_OUTCOME_OF(i) (i == 0 -> C_DELIVERED : C_UNDELIVERABLE)
mtype = { delivered, undeliverable }; /* for printf */
#define SETTLE(i) \
  :: atomic { cst[i] == C_ACCEPTED -> cst[i] = C_OUTCOME_OF(i); printf("@ connectivity settles message %d: %e\n", i, (i == 0 -> delivered : undeliverable)) }
#define REPORT(i) \
  :: atomic { C_FINAL(i) && !FINAL(i) -> \
       if \
       :: CAN(f_abort) -> f_abort++; printf("@ billing: PostgreSQL aborts recording the report of message %d: 503\n", i) \
       :: true -> \
          if \
          :: bst[i] != SENT -> printf("@ the report of message %d reaches billing before any 202 was recorded\n", i) \
          :: else -> skip \
          fi; \
          LEAVES_PENDING(i); bst[i] = (cst[i] == C_DELIVERED -> DELIVERED : UNDELIVERABLE); by_redrive[i] = 0; \
          printf("@ billing records the report of message %d: 202, %e\n", i, (i == 0 -> delivered : undeliverable)) \
       fi }

/* ==== the environment: connectivity's reports, Redis, the operator, another peer =============== */

/* DeadLettersService.retry (apps/billing/src/dead-letters/dead-letters.service.ts): DeadLetters.find
   reads the failed job, MessagesService.markPending puts a failed message back to pending (one
   statement), DeadLetters.retry moves the failed job back to wait, attempts reset (job.retry). Each
   step may fail with a 503; the operator may stop at any time. */
/* the operator picks a dead letter; when both messages have one, message 0's (the two are alike) */
#define REDRIVE \
  atomic { ops < REDRIVES && (bj[0].st == J_FAILED || bj[1].st == J_FAILED) -> ops++; m = (bj[0].st == J_FAILED -> 0 : 1); \
    printf("@ the operator retries the dead letter of message %d\n", m) }
/* Redis loses every job (a restart without persistence, a failover) */
#ifdef SWEEP_FRESH_JOB_ID
#define LOSE_FRESH ; CLEAR(bj[2]); CLEAR(bj[3])
#else
#define LOSE_FRESH
#endif

proctype Redis() {
  do
  :: atomic { CAN(f_loss) -> f_loss++; CLEAR(bj[0]); CLEAR(bj[1]) LOSE_FRESH; printf("@ Redis loses every job\n") }
  :: break
  od
}

proctype Environment() {
  byte ops, m;
  do
  SETTLE(0)
  SETTLE(1)
  REPORT(0)
  REPORT(1)
  :: REDRIVE;
     atomic {
       if
       :: CAN(f_abort) -> f_abort++; printf("@ billing: PostgreSQL aborts markPending of message %d: 503\n", m); m = 0; goto redriven_or_not
       :: true ->
          if
          :: bst[m] == FAILED -> bst[m] = PENDING; by_redrive[m] = 1; printf("@ billing puts message %d back to pending\n", m)
          :: else -> printf("@ message %d is not failed: markPending changes nothing\n", m)
          fi
       fi
     };
     atomic {
       if
       :: CAN(f_down) -> f_down++; printf("@ Redis does not take the retry of message %d's dead letter: 503\n", m)
       :: true ->
          if
          :: bj[m].st == J_FAILED -> bj[m].st = J_WAIT; bj[m].made = 0; redriven[m] = 1; conn_trouble[m] = 0;
             printf("@ the dead letter of message %d waits again, its attempts reset\n", m)
          :: else -> printf("@ message %d's job is no longer a dead letter: nothing to retry\n", m)
          fi
       fi;
       m = 0
     };
redriven_or_not:
     skip
  /* another peer POSTs message 0's URL with another text (MessagesService.receive: the insert meets
     the unique index, existing() finds other content): 422, nothing stored or queued */
  :: atomic { cst[0] != C_NONE -> printf("@ a peer replays message 0's URL with another text: 422, nothing changes\n") };
     break
  :: break
  od
}

/* ==== the invariants, checked in every state by one run (docs/model.md) ========================= */
#define STORED_ONCE (crows[0] <= 1 && crows[1] <= 1)
#define STORED_ONLY_COMMITTED ((crows[0] == 0 || bst[0] != NONE) && (crows[1] == 0 || bst[1] != NONE))
#define SENT_ONLY_IF_STORED ((!ACKED(0) || crows[0] > 0) && (!ACKED(1) || crows[1] > 0))
#define ONE_LIVE_JOB (LIVE(0) <= 1 && LIVE(1) <= 1)
proctype Invariants() {
end_invariants: /* blocked for good while they hold */
  atomic {
    !(STORED_ONCE && STORED_ONLY_COMMITTED && SENT_ONLY_IF_STORED && ONE_LIVE_JOB) ->
    assert(STORED_ONCE); /* property stored_once */
    assert(STORED_ONLY_COMMITTED); /* property stored_only_committed */
    assert(SENT_ONLY_IF_STORED); /* property sent_only_if_stored */
    assert(ONE_LIVE_JOB) /* property one_live_job */
  }
}

/* the processes; the configuration adds the payments (model/delivery-one.pml, model/delivery-two.pml) */
#define PROCESSES \
  run Invariants(); \
  run BillingWorker(0); \
  run BillingWorker(1); \
  run BillingSweeper(0); \
  run BillingSweeper(1); \
  run Environment(); \
  run Redis()

/* ==== properties (docs/model.md) ============================================================= */
ltl stored_once { [] STORED_ONCE }
ltl stored_only_committed { [] STORED_ONLY_COMMITTED }
ltl sent_only_if_stored { [] SENT_ONLY_IF_STORED }
ltl one_live_job { [] ONE_LIVE_JOB }
ltl final_stays {
  [] ((bst[0] == DELIVERED -> [] (bst[0] == DELIVERED)) && (bst[0] == UNDELIVERABLE -> [] (bst[0] == UNDELIVERABLE)) &&
      (bst[1] == DELIVERED -> [] (bst[1] == DELIVERED)) && (bst[1] == UNDELIVERABLE -> [] (bst[1] == UNDELIVERABLE)))
}
ltl sent_never_pending { [] ((bst[0] == SENT -> [] (bst[0] != PENDING)) && (bst[1] == SENT -> [] (bst[1] != PENDING))) }
ltl failed_leaves_by_ack_or_redrive {
  [] ((bst[0] == FAILED -> (bst[0] == FAILED W (ACKED(0) || (bst[0] == PENDING && by_redrive[0])))) &&
      (bst[1] == FAILED -> (bst[1] == FAILED W (ACKED(1) || (bst[1] == PENDING && by_redrive[1])))))
}
ltl committed_settles { [] ((bst[0] == PENDING -> <> (bst[0] != PENDING)) && (bst[1] == PENDING -> <> (bst[1] != PENDING))) }
ltl redrive_acknowledged { [] ((redriven[0] -> <> (ACKED(0) || conn_trouble[0])) && (redriven[1] -> <> (ACKED(1) || conn_trouble[1]))) }
/* a message whose give-up billing recorded (failed) keeps its dead letter until the operator's
   markPending (or a late acknowledgement) moves it, or Redis loses it: no sweep retries it */
ltl failed_resent_only_by_redrive {
  [] (((bst[0] == FAILED && bj[0].st == J_FAILED) -> (bj[0].st == J_FAILED W (bst[0] != FAILED || bj[0].st == J_NONE))) &&
      ((bst[1] == FAILED && bj[1].st == J_FAILED) -> (bj[1].st == J_FAILED W (bst[1] != FAILED || bj[1].st == J_NONE))))
}
