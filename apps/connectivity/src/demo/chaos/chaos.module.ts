import { Module } from '@nestjs/common';
import { ChaosFaults } from './chaos-faults';
import { ChaosSwitches } from './chaos-settings';
import { ChaosController } from './chaos.controller';

/** Fault injection at /admin/chaos; imported by the demo build only (src/demo/), never in production. */
@Module({
  controllers: [ChaosController],
  providers: [ChaosSwitches, ChaosFaults],
})
export class ChaosModule {}
