/*
 * The real model, reports half, one message: model/reports.pml with the code's hooks (model/code.pml),
 * and every kind of fault up to twice (FAULTS), with no cap on their sum.
 */
#define MAX_FAULTS 10
#include "code.pml"
#include "reports.pml"
init { atomic { PROCESSES; run Billing(0) } }
