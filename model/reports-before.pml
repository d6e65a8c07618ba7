/*
 * The code BEFORE issue 22's fixes, reports half, one message: model/reports.pml with the hooks of
 * model/before.pml. Its report_reaches_billing (hole 2) and accepted_settles (the SMS pattern) fail.
 */
#define MAX_FAULTS 3
#include "before.pml"
#include "reports.pml"
init { atomic { PROCESSES; run Billing(0) } }
