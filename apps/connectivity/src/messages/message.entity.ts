import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Where an accepted message stands at connectivity. */
export type MessageStatus = 'accepted';

/** A message connectivity accepted to send. Its `messageUrl`, the sender's resource, is its identity. */
@Entity({ name: 'messages' })
@Index('messages_message_url_key', ['messageUrl'], { unique: true })
export class Message {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'message_url', type: 'text' })
  messageUrl: string;

  @Column({ type: 'text' })
  text: string;

  @Column({ name: 'phone_number', type: 'text' })
  phoneNumber: string;

  @Column({ type: 'text', default: 'accepted' })
  status: MessageStatus;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;
}
