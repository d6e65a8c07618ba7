import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { PeerSigned, SignedByPeers, SignedByPeersOptionally } from '@onebip/messaging';
import { AppError, UuidParam } from '@onebip/platform';
import { DeliveryReportDto } from './delivery-report.dto';
import { messageEventView } from './message-event.entity';
import { messageView } from './message.view';
import { MessagesService } from './messages.service';

/** The message resources whose URLs billing sends to connectivity. */
@Controller('messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  /** Anyone with the id may look (connectivity reads its messages here); only a signed request sees the whole phone number. */
  @Get(':id')
  @SignedByPeersOptionally()
  async show(@UuidParam('id', 'message') id: string, @PeerSigned() signed: boolean) {
    return messageView(await this.messages.findById(id), { wholePhoneNumber: signed });
  }

  /** What happened to the message, step by step: created, each attempt, the delivery report. */
  @Get(':id/timeline')
  @SignedByPeersOptionally()
  async timeline(@UuidParam('id', 'message') id: string, @PeerSigned() signed: boolean) {
    const message = await this.messages.findById(id);
    const timeline = (await this.messages.timelines([message.id])).get(message.id) ?? [];
    return { ...messageView(message, { wholePhoneNumber: signed }), timeline: timeline.map(messageEventView) };
  }

  /**
   * Connectivity's report of what became of the SMS: 202 the first time, 409 for a repeat (the
   * report's own retries), which changes nothing. Only services holding the shared secret report.
   */
  @Post(':id/delivery-reports')
  @SignedByPeers()
  @HttpCode(202)
  async report(@UuidParam('id', 'message') id: string, @Body() report: DeliveryReportDto) {
    const outcome = await this.messages.recordDeliveryReport(id, report.message, report.status);
    if (outcome.kind === 'mismatch') {
      throw AppError.invalid({ message: [`the report is about ${report.message}, not this message (${outcome.url})`] });
    }
    if (outcome.kind === 'duplicate') throw new AppError('duplicate_report', 409, `message ${report.message} already has its delivery report`);
    return messageView(outcome.message, { wholePhoneNumber: true });
  }
}
