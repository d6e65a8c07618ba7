/*
 * The real model, reports half, one message: model/reports.pml with the code's hooks (model/code.pml),
 * connectivity's worker, its SMS and report sweeps, billing's POSTs, and every kind of fault up to
 * twice (FAULTS), at most MAX_FAULTS in a run (docs/model.md, Bounds). model/reports-two.pml has two.
 */
#define MAX_FAULTS 3
#include "code.pml"
#include "reports.pml"
init { atomic { PROCESSES; run Billing(0) } }
