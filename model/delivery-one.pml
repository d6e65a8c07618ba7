/*
 * The real model, delivery half, one payment: model/delivery.pml with the code's hooks (model/code.pml),
 * two billing workers, two sweepers, the operator, and every kind of fault up to twice (FAULTS), with
 * no cap on their sum (5 kinds × 2). Message 1 stays unpaid.
 */
#define MAX_FAULTS 10
#include "code.pml"
#include "delivery.pml"
init { atomic { PROCESSES; run Pay(0) } }
