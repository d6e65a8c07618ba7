import type { StatementPart } from '@onebip/platform';
import type { Message } from './message.entity';

/**
 * A new message on its way into the outbox, with the statement parts that store it. The feature
 * whose row the message is about puts those parts into its own statement, so that its row and the
 * message are stored together or not at all, in one round trip; the messages feature still owns
 * the text of every statement on its tables, and the caller only composes.
 */
export interface OutboxEntry {
  /** The message as it is stored: `pending`, with no attempt yet. */
  readonly message: Message;

  /**
   * Data-modifying CTEs that insert the message and the `created` step of its timeline, for the
   * WITH list of the caller's statement. Their parameters are numbered from `$<firstParameter>`;
   * their names start with `outbox_`, and the statement needs to read neither of them.
   */
  ctes(firstParameter: number): StatementPart;
}
