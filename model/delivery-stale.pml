/*
 * The code before the stale-read fix, delivery half, one payment: model/delivery.pml with the hooks of
 * model/stale.pml. Its failed_resent_only_by_redrive fails: the sweep's retry acts on a read that the
 * record of the last attempt made stale (docs/model.md, "The stale-read race").
 */
#define MAX_FAULTS 3
#include "stale.pml"
#include "delivery.pml"
init { atomic { PROCESSES; run Pay(0) } }
