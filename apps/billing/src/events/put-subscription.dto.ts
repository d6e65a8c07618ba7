import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { EVENT_TYPES } from './event-types';

/** The body of `PUT /subscriptions/:subscriber`. */
export class PutSubscriptionDto {
  /** Where billing POSTs the events: on a host of EVENT_SUBSCRIBER_HOSTS. */
  @IsString()
  @MaxLength(2000)
  // Which URLs billing delivers to is subscriberUrlProblem's to say (compose names with `_` included).
  url: string;

  /** Full CloudEvents types; omitted: every type. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'types must name at least one type; omit it for every type' })
  @ArrayMaxSize(EVENT_TYPES.length)
  @IsIn(EVENT_TYPES, { each: true, message: `each of types must be one of ${EVENT_TYPES.join(', ')}` })
  types?: string[];

  /** An RFC 3339 time: the subscriber also receives every stored event from then on (a backfill). */
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i, { message: 'since must be an RFC 3339 time such as 2026-12-07T10:00:00Z' })
  since?: string;
}
