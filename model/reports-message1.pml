/*
 * The real model, reports half, message 1 alone with at most one fault: its plain run reaches the
 * statements about message 1 that need a fault (a worker killed holding message 1's job), which
 * model/reports-two.pml (two messages, no fault) cannot; its invariants are checked too.
 */
#define MAX_FAULTS 1
#include "code.pml"
#include "reports.pml"
init { atomic { PROCESSES; run Billing(1) } }
