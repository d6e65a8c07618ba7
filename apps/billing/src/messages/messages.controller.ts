import { Controller, Get, Param } from '@nestjs/common';
import { messageView } from './message.view';
import { MessagesService } from './messages.service';

/** The message resources whose URLs billing sends to connectivity. */
@Controller('messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get(':id')
  async show(@Param('id') id: string) {
    return messageView(await this.messages.findById(id));
  }
}
