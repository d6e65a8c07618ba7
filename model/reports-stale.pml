/*
 * The code before the stale-read fix, reports half, one message: model/reports.pml with the hooks of
 * model/stale.pml. Its carrier_bound fails: the SMS sweep's retry acts on a read that the settle made
 * stale, a new life of the SMS job of a settled message (docs/model.md, "The stale-read race").
 */
#define MAX_FAULTS 3
#include "stale.pml"
#include "reports.pml"
init { atomic { PROCESSES; run Billing(0) } }
