/*
 * The real model, delivery half, one payment: model/delivery.pml with the code's hooks (model/code.pml),
 * two billing workers, two sweepers, the operator, and every kind of fault up to twice (FAULTS), at
 * most MAX_FAULTS in a run (docs/model.md, Bounds). Message 1 stays unpaid; model/delivery-two.pml
 * pays both.
 */
#define MAX_FAULTS 3
#include "code.pml"
#include "delivery.pml"
init { atomic { PROCESSES; run Pay(0) } }
