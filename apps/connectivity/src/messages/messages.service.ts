import { Inject, Injectable, Logger } from '@nestjs/common';
import { Messaging, canonicalMessageUrl } from '@onebip/messaging';
import { AppError, loggableUrl } from '@onebip/platform';
import type { ConnectivityConfig } from '../config/connectivity-config';
import { CONNECTIVITY_CONFIG } from '../config/connectivity-config.module';
import { Message } from './message.entity';
import { MessagesRepository, ReportOutcome } from './messages.repository';
import { ReceiveMessageDto, phoneNumberOf } from './receive-message.dto';
import { SMS_JOBS } from './sms-jobs';
import type { SmsJobs } from './sms-jobs';

/**
 * What receiving a message came to: stored now (`accepted`), already stored with the same content
 * by an earlier delivery (`duplicate`), or already stored with another content (`conflicting`).
 */
export type Reception = { outcome: 'accepted' | 'duplicate' | 'conflicting'; message: Message };

@Injectable()
export class MessagesService {
  private readonly logger = new Logger('MessagesService');

  constructor(
    private readonly messages: MessagesRepository,
    @Inject(CONNECTIVITY_CONFIG) private readonly config: ConnectivityConfig,
    @Inject(SMS_JOBS) private readonly smsJobs: SmsJobs,
    private readonly messaging: Messaging,
  ) {}

  /**
   * Stores a message once per URL, however it is spelt, even when deliveries of it come at once. A
   * replay (the sender retrying after a timeout, say) finds the stored one and changes nothing: a
   * `duplicate` with the same text and phone number, `conflicting` with another.
   */
  async receive(dto: ReceiveMessageDto): Promise<Reception> {
    const phoneNumber = phoneNumberOf(dto);
    this.checkCallback(dto.callback, dto.message);
    const canonical = canonicalOrInvalid(dto.message, 'message');
    const { storedNow, message } = await this.messages.storeOnce({
      messageUrl: dto.message,
      messageUrlCanonical: canonical,
      text: dto.text,
      phoneNumber,
      callback: dto.callback ?? null,
    });
    const sameContent = message.text === dto.text && message.phoneNumber === phoneNumber;
    const reception: Reception = { outcome: storedNow ? 'accepted' : sameContent ? 'duplicate' : 'conflicting', message };
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
    const message = await this.messages.settle(messageUrl, status);
    if (!message) throw new Error(`no message ${loggableUrl(messageUrl)} to settle`);
    return message;
  }

  private async queueSms(message: Message): Promise<void> {
    try {
      await this.messaging.send(this.smsJobs.smsJobFor(message));
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

  /** Records that the sender acknowledged the message's delivery report, or that it was given up. */
  recordReport(messageUrl: string, outcome: ReportOutcome): Promise<void> {
    return this.messages.recordReport(messageUrl, outcome);
  }

  /** Final messages whose delivery report is still owed, settled more than `olderThanMs` ago, in pages. */
  reportOwedOlderThan(olderThanMs: number, pageSize = 1000): AsyncGenerator<Message[]> {
    return this.messages.reportOwedOlderThan(olderThanMs, pageSize);
  }

  /** Of the messages with these ids, the ids of those whose report is owed now. */
  reportStillOwed(ids: string[]): Promise<string[]> {
    return this.messages.reportStillOwed(ids);
  }

  /** Messages still `accepted` that came more than `olderThanMs` ago, oldest first, in pages of `pageSize`. */
  acceptedOlderThan(olderThanMs: number, pageSize = 1000): AsyncGenerator<Message[]> {
    return this.messages.acceptedOlderThan(olderThanMs, pageSize);
  }

  /** Of the messages with these ids, the ids of those accepted now. */
  stillAccepted(ids: string[]): Promise<string[]> {
    return this.messages.stillAccepted(ids);
  }

  /** The message with this id, a UUID (the controller's UuidParam answers any other id). */
  async findById(id: string): Promise<Message> {
    const message = await this.messages.findById(id);
    if (!message) throw AppError.notFound(`message ${id}`);
    return message;
  }

  /** The message a URL names, whichever way it is spelt. */
  async findByUrl(url: string): Promise<Message> {
    const message = await this.messages.findByCanonicalUrl(canonicalOrInvalid(url, 'message'));
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
