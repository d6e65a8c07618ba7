import { Inject, Injectable, Logger } from '@nestjs/common';
import { Messaging, canonicalMessageUrl } from '@onebip/messaging';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppError, isUuid, keysetPages, loggableUrl } from '@onebip/platform';
import type { ConnectivityConfig } from '../config/connectivity-config';
import { CONNECTIVITY_CONFIG } from '../config/connectivity-config.module';
import { ConnectivityJobs } from '../sms/connectivity-jobs';
import { Message } from './message.entity';
import { ReceiveMessageDto, phoneNumberOf } from './receive-message.dto';

/**
 * What receiving a message came to: stored now (`accepted`), already stored with the same content
 * by an earlier delivery (`duplicate`), or already stored with another content (`conflicting`).
 */
export type Reception = { outcome: 'accepted' | 'duplicate' | 'conflicting'; message: Message };

@Injectable()
export class MessagesService {
  private readonly logger = new Logger('MessagesService');

  constructor(
    @InjectRepository(Message) private readonly messages: Repository<Message>,
    @Inject(CONNECTIVITY_CONFIG) private readonly config: ConnectivityConfig,
    private readonly jobs: ConnectivityJobs,
    private readonly messaging: Messaging,
  ) {}

  /**
   * Stores a message once per URL. A replay (the sender retrying after a timeout, say) finds
   * the stored one and changes nothing. The unique index decides, not a read before the write,
   * so simultaneous deliveries of one URL still store it once.
   */
  async receive(dto: ReceiveMessageDto): Promise<Reception> {
    const phoneNumber = phoneNumberOf(dto);
    this.checkCallback(dto.callback, dto.message);
    const canonical = canonicalOrInvalid(dto.message, 'message');
    // Plain SQL on this hot path: one statement, no query builder (docs/performance.md). The
    // canonical form decides what is a replay; the spelling received is what is kept.
    const [row]: Record<string, unknown>[] = await this.messages.query(
      `INSERT INTO messages (message_url, message_url_canonical, text, phone_number, callback) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (message_url_canonical) DO NOTHING RETURNING *`,
      [dto.message, canonical, dto.text, phoneNumber, dto.callback ?? null],
    );
    const reception: Reception = row ? { outcome: 'accepted', message: this.messages.create(fromRow(row)) } : await this.existing(canonical, dto, phoneNumber);
    // A 202 or a 409 tells the sender it may stop resending, so both promise that the SMS job
    // exists: queue it (again: its id makes a repeat a no-op) or answer 503 to be sent again.
    if (reception.outcome !== 'conflicting' && reception.message.status === 'accepted') await this.queueSms(reception.message);
    const loggable = loggableUrl(dto.message);
    this.logger.log({ msg: `message ${loggable}: ${reception.outcome}`, message: loggable, outcome: reception.outcome });
    return reception;
  }

  /**
   * Records a message's final status, once: a later attempt cannot change it. Returns the
   * message as it stands.
   */
  async settle(messageUrl: string, status: 'delivered' | 'undeliverable'): Promise<Message> {
    // Usually one round trip: the update returns the row. When the message was already final, a
    // second statement reads it, and sees whatever a concurrent settle committed (a single
    // statement's snapshot could still show the message open).
    const [updated]: Record<string, unknown>[] = await this.messages.query(
      `WITH updated AS (UPDATE messages SET status = $2, final_at = now() WHERE message_url = $1 AND status = 'accepted' RETURNING *)
       SELECT * FROM updated`,
      [messageUrl, status],
    );
    const [row]: Record<string, unknown>[] = updated ? [updated] : await this.messages.query('SELECT * FROM messages WHERE message_url = $1', [messageUrl]);
    if (!row) throw new Error(`no message ${loggableUrl(messageUrl)} to settle`);
    return this.messages.create(fromRow(row));
  }

  private async existing(canonical: string, dto: ReceiveMessageDto, phoneNumber: string): Promise<Reception> {
    const existing = await this.messages.findOneByOrFail({ messageUrlCanonical: canonical });
    const sameContent = existing.text === dto.text && existing.phoneNumber === phoneNumber;
    return { outcome: sameContent ? 'duplicate' : 'conflicting', message: existing };
  }

  private async queueSms(message: Message): Promise<void> {
    try {
      await this.messaging.send(this.jobs.smsJobFor(message));
    } catch {
      throw new AppError('queue_unavailable', 503, 'the message is stored but cannot be queued for sending now; send it again');
    }
  }

  /**
   * A callback goes back to where the message came from: the message URL's own origin (scheme,
   * host and port), and a host connectivity is allowed to call (CALLBACK_ALLOWED_HOSTS, required
   * in production). A sender cannot point connectivity's signed reports at a third party.
   */
  private checkCallback(callback: string | undefined, messageUrl: string): void {
    if (callback === undefined) return;
    const target = new URL(callback);
    const origin = new URL(messageUrl).origin;
    if (target.origin !== origin) throw AppError.invalid({ callback: [`callback must be on the message URL's origin (${origin})`] });
    const allowed = this.config.callbacks.allowedHosts;
    if (allowed.length > 0 && !allowed.includes(target.host)) {
      throw AppError.invalid({ callback: [`callback host ${target.host} is not allowed (allowed: ${allowed.join(', ')})`] });
    }
  }

  /**
   * Messages still `accepted` that came more than `olderThanMs` ago, oldest first, in pages of
   * `pageSize` (keyset pagination: each page starts after the last one seen).
   */
  acceptedOlderThan(olderThanMs: number, pageSize = 1000): AsyncGenerator<Message[]> {
    return keysetPages<Message>(pageSize, (after, limit) => {
      const query = this.messages
        .createQueryBuilder('message')
        .where(`message.status = 'accepted'`)
        .andWhere(`message.received_at < now() - make_interval(secs => :seconds)`, { seconds: olderThanMs / 1000 })
        .orderBy('message.received_at')
        .addOrderBy('message.id')
        .limit(limit);
      if (after) query.andWhere('(message.received_at, message.id) > (:receivedAt, :id)', { receivedAt: after.receivedAt, id: after.id });
      return query.getMany();
    });
  }

  async findById(id: string): Promise<Message> {
    const message = isUuid(id) ? await this.messages.findOneBy({ id }) : null;
    if (!message) throw AppError.notFound(`message ${id}`);
    return message;
  }

  /** The message a URL names, whichever way it is spelt. */
  async findByUrl(url: string): Promise<Message> {
    const message = await this.messages.findOneBy({ messageUrlCanonical: canonicalOrInvalid(url, 'message') });
    if (!message) throw AppError.notFound(`message ${url}`);
    return message;
  }
}

/** The canonical form of a message URL; 400 naming `field` when it has none. */
function canonicalOrInvalid(url: string, field: string): string {
  const result = canonicalMessageUrl(url);
  if (!result.ok) throw AppError.invalid({ [field]: [`${field} ${result.problem}`] });
  return result.canonical;
}

function fromRow(row: Record<string, unknown>): Partial<Message> {
  return {
    id: row.id as string,
    messageUrl: row.message_url as string,
    messageUrlCanonical: row.message_url_canonical as string,
    text: row.text as string,
    phoneNumber: row.phone_number as string,
    status: row.status as Message['status'],
    receivedAt: row.received_at as Date,
    callback: (row.callback as string | null) ?? null,
    finalAt: (row.final_at as Date | null) ?? null,
  };
}
