import { Module } from '@nestjs/common';
import { ConnectivityChaosClient } from './connectivity-chaos.client';
import { ConsoleAssets } from './console-assets';
import { DemoConsoleController } from './demo-console.controller';
import { DemoConsoleService } from './demo-console.service';
import { EventsModule } from '../events';
import { MessagesModule } from '../messages';

/** The demo console at /demo; imported only when the admin pages are enabled. */
@Module({
  imports: [MessagesModule, EventsModule],
  controllers: [DemoConsoleController],
  providers: [DemoConsoleService, ConnectivityChaosClient, ConsoleAssets],
})
export class DemoConsoleModule {}
