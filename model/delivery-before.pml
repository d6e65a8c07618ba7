/*
 * The code BEFORE issue 22's fixes, delivery half, one payment: model/delivery.pml with the hooks of
 * model/before.pml. Its committed_settles fails: hole 1 (docs/model.md).
 */
#define MAX_FAULTS 3
#include "before.pml"
#include "delivery.pml"
init { atomic { PROCESSES; run Pay(0) } }
