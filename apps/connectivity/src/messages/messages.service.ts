import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppError, isUuid } from '@onebip/platform';
import { Message } from './message.entity';
import { ReceiveMessageDto, phoneNumberOf } from './receive-message.dto';

/**
 * What receiving a message came to: stored now (`accepted`), already stored with the same content
 * by an earlier delivery (`duplicate`), or already stored with another content (`conflicting`).
 */
export type Reception = { outcome: 'accepted' | 'duplicate' | 'conflicting'; message: Message };

@Injectable()
export class MessagesService {
  constructor(@InjectRepository(Message) private readonly messages: Repository<Message>) {}

  /**
   * Stores a message once per URL. A replay (the sender retrying after a timeout, say) finds
   * the stored one and changes nothing. The unique index decides, not a read before the write,
   * so simultaneous deliveries of one URL still store it once.
   */
  async receive(dto: ReceiveMessageDto): Promise<Reception> {
    const phoneNumber = phoneNumberOf(dto);
    const inserted = await this.messages
      .createQueryBuilder()
      .insert()
      .values({ messageUrl: dto.message, text: dto.text, phoneNumber })
      .orIgnore()
      .returning('*')
      .updateEntity(false)
      .execute();
    const row = (inserted.raw as Record<string, unknown>[])[0];
    if (row) return { outcome: 'accepted', message: this.messages.create(fromRow(row)) };
    const existing = await this.messages.findOneByOrFail({ messageUrl: dto.message });
    const sameContent = existing.text === dto.text && existing.phoneNumber === phoneNumber;
    return { outcome: sameContent ? 'duplicate' : 'conflicting', message: existing };
  }

  async findById(id: string): Promise<Message> {
    const message = isUuid(id) ? await this.messages.findOneBy({ id }) : null;
    if (!message) throw AppError.notFound(`message ${id}`);
    return message;
  }

  async findByUrl(url: string): Promise<Message> {
    const message = await this.messages.findOneBy({ messageUrl: url });
    if (!message) throw AppError.notFound(`message ${url}`);
    return message;
  }
}

function fromRow(row: Record<string, unknown>): Partial<Message> {
  return {
    id: row.id as string,
    messageUrl: row.message_url as string,
    text: row.text as string,
    phoneNumber: row.phone_number as string,
    status: row.status as Message['status'],
    receivedAt: row.received_at as Date,
  };
}

