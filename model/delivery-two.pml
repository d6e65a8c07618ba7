/*
 * The real model, delivery half, two payments sharing the workers, the sweepers, Redis and the
 * faults: every kind of fault up to twice (FAULTS), at most MAX_FAULTS in a run (docs/model.md, Bounds).
 */
#define MAX_FAULTS 1
#include "code.pml"
#include "delivery.pml"
init { atomic { PROCESSES; run Pay(0); run Pay(1) } }
