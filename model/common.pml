/*
 * What both halves of the model share (docs/model.md): bounds, statuses, BullMQ's jobs, faults.
 *
 * One step of the model is one step the code does as one I/O: one SQL statement (atomic in
 * PostgreSQL), one BullMQ script or MULTI (atomic in Redis), one HTTP exchange's arrival. `atomic`
 * wraps exactly one such step with the purely local computation around it; no `atomic` spans two.
 * A fault that strikes before a step (a worker killed) is a branch of that step's `atomic`: it takes
 * the step's place.
 *
 * printf lines starting "@ " are the protocol steps tools/model/run.mjs shows for a counterexample;
 * those starting "@- " are steps that change nothing (a sweep's read, an add that is a no-op), which
 * it leaves out.
 */

/* ---- bounds ---------------------------------------------------------------------------------- */
#define N 2 /* messages: the configuration runs one payment or two (model/delivery-*.pml, model/reports-*.pml) */
#define FAULTS 2 /* of each kind of fault */

/* ---- billing: messages.status (apps/billing/src/messages/message.entity.ts) ------------------- */
#define NONE 0 /* not committed: no row */
#define PENDING 1
#define SENT 2
#define FAILED 3
#define DELIVERED 4
#define UNDELIVERABLE 5
#define ACKED(m) (bst[m] == SENT || bst[m] == DELIVERED || bst[m] == UNDELIVERABLE)
#define FINAL(m) (bst[m] == DELIVERED || bst[m] == UNDELIVERABLE)

/* ---- connectivity: messages.status (apps/connectivity/src/messages/message.entity.ts) --------- */
#define C_NONE 0 /* no row */
#define C_ACCEPTED 1
#define C_DELIVERED 2
#define C_UNDELIVERABLE 3
#define C_FINAL(m) (cst[m] == C_DELIVERED || cst[m] == C_UNDELIVERABLE)

/* ---- BullMQ jobs: one entry per job id, as Redis keeps one job per id ------------------------- */
#define J_NONE 0 /* no job under the id: never added, or lost with Redis */
#define J_WAIT 1 /* waiting, or delayed before a retry */
#define J_ACTIVE 2 /* taken by a worker, under its lock */
#define J_FAILED 3 /* failed for good, kept 7 days under its id (KEEP_FAILED): a dead letter */
#define J_DONE 4 /* completed, kept a day under its id (KEEP_COMPLETED) */
#define L_NONE 0
#define L_DEAD 3 /* the lock of a worker that died: nobody renews it, it expires (lockDuration) */
typedef Job {
  unsigned st : 3;
  unsigned made : 2; /* attemptsMade */
  unsigned lock : 2; /* L_NONE, a live worker's (1 + its number), L_DEAD */
}
#define LIVE_JOB(job) (job.st == J_WAIT || job.st == J_ACTIVE)
#define CLEAR(job) job.st = J_NONE; job.made = 0; job.lock = L_NONE

/* Messaging.send / sendAll (libs/messaging/src/lib/messaging.ts): adding a job whose id is taken,
   waiting, active, failed or completed, is a no-op */
#define ADD(job) \
  if \
  :: job.st == J_NONE -> job.st = J_WAIT; job.made = 0 \
  :: else -> skip \
  fi

/* ---- faults: each kind fires at most FAULTS times, at any step, and at most MAX_FAULTS of all
   kinds in one run (set by the configuration) ------------------- */
byte f_lost; /* an answer lost after the receiver committed */
byte f_kill; /* a worker killed between two steps */
byte f_loss; /* Redis loses every job */
byte f_abort; /* a PostgreSQL write aborted */
byte f_down; /* Redis does not take a write in time (unreachable): Messaging.send rejects */
#define FAULTS_FIRED (f_lost + f_kill + f_loss + f_abort + f_down)
#define CAN(f) (f < FAULTS && FAULTS_FIRED < MAX_FAULTS)
