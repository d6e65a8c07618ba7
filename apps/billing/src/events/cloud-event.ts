import { CloudEvent } from 'cloudevents';
import type { PublishedEvent } from './published-event.entity';

/** The media type of a CloudEvent in structured mode, JSON (CloudEvents HTTP binding, 3.2). */
export const CLOUDEVENTS_JSON = 'application/cloudevents+json; charset=utf-8';

/** A CloudEvent 1.0 as structured mode puts it in a body: its attributes and `data`, one JSON object. */
export type CloudEventBody = Record<string, unknown> & { specversion: '1.0'; id: string; source: string; type: string };

/**
 * The event as a CloudEvent 1.0 from `source` (billing's public URL), built and checked by the
 * `cloudevents` SDK: the SDK refuses an event whose attributes break the spec, so billing never
 * stores or sends one.
 */
export function cloudEventOf(event: PublishedEvent, source: string): CloudEventBody {
  const cloudEvent = new CloudEvent<Record<string, unknown>>({
    specversion: '1.0',
    id: event.id,
    source,
    type: event.type,
    subject: event.subject,
    time: event.time.toISOString(),
    datacontenttype: 'application/json',
    data: event.data,
  });
  return cloudEvent.toJSON() as CloudEventBody;
}
