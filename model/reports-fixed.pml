/*
 * The fixed variant, reports half, one message: model/reports.pml with the hooks of
 * model/fixed.pml, connectivity's worker and sweep, billing's POSTs, and every kind of fault up to
 * twice, at most MAX_FAULTS in a run. docs/model.md says why one message's checks hold for each of
 * any number of messages.
 */
#define MAX_FAULTS 3
#include "fixed.pml"
#include "reports.pml"
init { atomic { PROCESSES; run Billing(0) } }
