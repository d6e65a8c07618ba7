import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { SignedByPeers } from '@onebip/messaging';
import { AppError, UuidParam } from '@onebip/platform';
import { messageView } from './message.view';
import { MessagesService } from './messages.service';
import { ReceiveMessageDto } from './receive-message.dto';

/** Only services holding the shared secret may send or read messages (X-Authentication). */
@Controller('messages')
@SignedByPeers()
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  /**
   * 202 for a new message; 409 with the stored one's Location for a replay of the same URL;
   * 422 when the same URL comes with another text or phone number.
   */
  @Post()
  async receive(@Body() dto: ReceiveMessageDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { outcome, message } = await this.messages.receive(dto);
    reply.header('location', `/messages/${message.id}`);
    if (outcome === 'duplicate') {
      throw new AppError('duplicate_message', 409, `message ${message.messageUrl} was already received`, { id: message.id });
    }
    if (outcome === 'conflicting') {
      throw new AppError('conflicting_message', 422, `message ${message.messageUrl} was already received with another content`, { id: message.id });
    }
    reply.status(202);
    return { id: message.id };
  }

  /** 404 for an id that names no message, a malformed one too (without a query). */
  @Get(':id')
  async show(@UuidParam('id', 'message') id: string) {
    return messageView(await this.messages.findById(id));
  }

  @Get()
  async findByUrl(@Query('message') url?: unknown) {
    if (typeof url !== 'string' || url === '') throw AppError.invalid({ message: ['the message query parameter is required, once'] });
    return messageView(await this.messages.findByUrl(url));
  }
}
