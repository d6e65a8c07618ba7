/*
 * The real model, delivery half, two payments: model/delivery.pml with today's hooks, the two
 * messages sharing the workers, the sweepers, Redis and the fault budget; at most MAX_FAULTS faults
 * in a run (docs/model.md: two of each kind with two messages is out of reach of an exhaustive run).
 */
#define MAX_FAULTS 1
#include "today.pml"
#include "delivery.pml"
init { atomic { PROCESSES; run Pay(0); run Pay(1) } }
