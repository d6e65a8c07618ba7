import { Body, Controller, Get, Put } from '@nestjs/common';
import { SignedByPeers } from '@onebip/messaging';
import { ChaosSettings, ChaosSwitches } from './chaos-settings';

/** The fault switches, for demos and tests; only services holding the shared secret flip them. */
@Controller('admin/chaos')
@SignedByPeers()
export class ChaosController {
  constructor(private readonly switches: ChaosSwitches) {}

  @Get()
  show(): ChaosSettings {
    return this.switches.settings;
  }

  /** Replaces every switch: a field left out is switched off. */
  @Put()
  set(@Body() settings: ChaosSettings): ChaosSettings {
    this.switches.set(settings);
    return this.switches.settings;
  }
}
