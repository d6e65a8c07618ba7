import { Body, Controller, DefaultValuePipe, Get, Header, ParseIntPipe, Put, Query } from '@nestjs/common';
import { ConnectivityChaosClient } from './connectivity-chaos.client';
import { ConsoleAssets } from './console-assets';
import { DemoConsoleService } from './demo-console.service';

/**
 * The demo console at /demo: a static page that creates payments through the public API, flips
 * connectivity's chaos switches, and polls /demo/api/state to show each message's timeline and each
 * event's deliveries.
 */
@Controller('demo')
export class DemoConsoleController {
  constructor(
    private readonly console: DemoConsoleService,
    private readonly chaos: ConnectivityChaosClient,
    private readonly assets: ConsoleAssets,
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  page(): Promise<string> {
    return this.assets.read('index.html');
  }

  @Get('console.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'no-store')
  script(): Promise<string> {
    return this.assets.read('console.js');
  }

  /** Everything the page shows, in one poll. */
  @Get('api/state')
  @Header('cache-control', 'no-store')
  async state(@Query('limit', new DefaultValuePipe(30), ParseIntPipe) limit: number) {
    const bounded = Math.min(Math.max(limit, 1), 200);
    const [counters, messages, events, chaos] = await Promise.all([
      this.console.counters(),
      this.console.latestMessages(bounded),
      this.console.latestEvents(bounded),
      this.chaos.read(),
    ]);
    return { counters, messages, events, chaos };
  }

  /** Sets connectivity's chaos switches (validated there). */
  @Put('api/chaos')
  setChaos(@Body() settings: Record<string, unknown>) {
    return this.chaos.set(settings);
  }
}
