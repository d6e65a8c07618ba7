import { Module } from '@nestjs/common';
import { SimulatedCarrierController } from './simulated-carrier.controller';

/** The stand-in carrier at /simulated-carrier/sms; imported only with SIMULATED_CARRIER_ENABLED. */
@Module({ controllers: [SimulatedCarrierController] })
export class SimulatedCarrierModule {}
