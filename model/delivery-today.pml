/*
 * The real model, delivery half, one payment: model/delivery.pml with today's hooks (model/today.pml),
 * two billing workers, two sweepers, the operator, and every kind of fault up to twice, at most
 * MAX_FAULTS in a run. Message 1 stays unpaid: docs/model.md says why one message's checks hold for
 * each of any number of messages, and model/delivery-pair-today.pml runs two.
 */
#define MAX_FAULTS 3
#include "today.pml"
#include "delivery.pml"
init { atomic { PROCESSES; run Pay(0) } }
