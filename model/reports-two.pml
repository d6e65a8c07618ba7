/*
 * The real model, reports half, two messages sharing connectivity's worker, its sweeps, Redis and
 * the faults: every kind of fault up to twice (FAULTS), at most MAX_FAULTS in a run (docs/model.md, Bounds).
 */
#define MAX_FAULTS 0
#include "code.pml"
#include "reports.pml"
init { atomic { PROCESSES; run Billing(0); run Billing(1) } }
