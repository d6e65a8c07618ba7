/* The fixed variant of model/delivery-today.pml: the same configuration with the hooks of model/fixed.pml. */
#define MAX_FAULTS 3
#include "fixed.pml"
#include "delivery.pml"
init { atomic { PROCESSES; run Pay(0) } }
