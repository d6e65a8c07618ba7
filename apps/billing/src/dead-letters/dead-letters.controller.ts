import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { SignedByPeers } from '@onebip/messaging';
import { DeadLettersService } from './dead-letters.service';

/**
 * Operators' view of the deliveries that failed for good (kept a week). Behind X-Authentication:
 * only holders of the shared secret, such as `npm run messaging -- dead-letters …`, get in.
 */
@Controller('admin/dead-letters')
@SignedByPeers()
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  async list() {
    return { deadLetters: await this.deadLetters.list() };
  }

  @Post('retry-all')
  @HttpCode(202)
  async retryAll() {
    return { retried: await this.deadLetters.retryAll() };
  }

  @Post(':id/retry')
  @HttpCode(202)
  async retry(@Param('id') id: string) {
    return { retried: [await this.deadLetters.retry(id)] };
  }
}
