import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One step of a message's timeline: `created` with its payment, each delivery `attempt` (what
 * connectivity answered or what went wrong, and the wait before the next one), the `report`.
 */
@Entity({ name: 'message_events' })
export class MessageEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'message_id', type: 'uuid' })
  messageId: string;

  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  at: Date;

  @Column({ type: 'text' })
  kind: 'created' | 'attempt' | 'report';

  @Column({ type: 'int', nullable: true })
  attempt: number | null;

  /** For an attempt: delivered, retrying or gave-up; for a report: delivered or undeliverable. */
  @Column({ type: 'text', nullable: true })
  outcome: string | null;

  /** Connectivity's HTTP status, when it answered. */
  @Column({ type: 'int', nullable: true })
  status: number | null;

  @Column({ type: 'text', nullable: true })
  detail: string | null;

  @Column({ name: 'retry_in_ms', type: 'int', nullable: true })
  retryInMs: number | null;
}

/** A timeline step as the API shows it. */
export function messageEventView(event: MessageEvent) {
  return {
    at: event.at.toISOString(),
    kind: event.kind,
    attempt: event.attempt ?? undefined,
    outcome: event.outcome ?? undefined,
    status: event.status ?? undefined,
    detail: event.detail ?? undefined,
    retryInMs: event.retryInMs ?? undefined,
  };
}
