import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_SECRET } from '@onebip/testing';
import { readBillingConfig } from '../src/config/billing-config';
import { PAYMENT_CREATED } from '../src/events/event-types';

const SECRET = 'a-declared-subscriber-secret-0123456789';
const env = (declared: unknown, more: Record<string, string> = {}) => ({
  NODE_ENV: 'test',
  MESSAGING_SECRETS: TEST_SECRET,
  EVENT_SUBSCRIBER_HOSTS: 'ledger:8080',
  EVENT_SUBSCRIPTIONS: typeof declared === 'string' ? declared : JSON.stringify(declared),
  ...more,
});

describe("billing's configuration of events", () => {
  it('keeps events 7 days, lets a rotated secret overlap a day, and accepts no subscriber host unless told', () => {
    const { events } = readBillingConfig({ NODE_ENV: 'test', MESSAGING_SECRETS: TEST_SECRET });
    assert.deepEqual(
      { hosts: events.subscriberHosts, declared: events.declared, days: events.retentionDays, overlap: events.secretOverlapSeconds },
      { hosts: [], declared: [], days: 7, overlap: 86_400 },
    );
  });

  it('reads the subscriptions EVENT_SUBSCRIPTIONS declares', () => {
    const { events } = readBillingConfig(env([{ subscriber: 'ledger', url: 'http://ledger:8080/events', types: [PAYMENT_CREATED], secret: SECRET }]));
    assert.deepEqual(events.declared, [{ subscriber: 'ledger', url: 'http://ledger:8080/events', types: [PAYMENT_CREATED], secret: SECRET }]);
    assert.equal(readBillingConfig(env([{ subscriber: 'all', url: 'http://ledger:8080/', secret: SECRET }])).events.declared[0].types, null);
  });

  it('refuses EVENT_SUBSCRIBER_HOSTS entries that no URL host would match', () => {
    for (const entry of ['http://ledger:8080', 'ledger:8080/events', 'ledger:443']) {
      assert.throws(
        () => readBillingConfig({ NODE_ENV: 'test', MESSAGING_SECRETS: TEST_SECRET, EVENT_SUBSCRIBER_HOSTS: entry }),
        /EVENT_SUBSCRIBER_HOSTS: .* must be host:port/,
        entry,
      );
    }
    assert.deepEqual(
      readBillingConfig({ NODE_ENV: 'test', MESSAGING_SECRETS: TEST_SECRET, EVENT_SUBSCRIBER_HOSTS: 'Ledger:8080,hooks.example,[::1]:9000' }).events
        .subscriberHosts,
      ['ledger:8080', 'hooks.example', '[::1]:9000'],
    );
  });

  const refusals: [string, unknown, RegExp][] = [
    ['not JSON', '[{', /EVENT_SUBSCRIPTIONS must be JSON/],
    ['not an array', { subscriber: 'x' }, /must be a JSON array/],
    ['a bad name', [{ subscriber: 'Ledger!', url: 'http://ledger:8080/', secret: SECRET }], /subscriber must be lower-case/],
    ['a host not allowed', [{ subscriber: 'x', url: 'http://elsewhere:8080/', secret: SECRET }], /\[0\] \(x\): url host elsewhere:8080 is not allowed/],
    ['billing itself', [{ subscriber: 'x', url: 'http://127.0.0.1:3001/payments', secret: SECRET }], /billing itself/],
    ['empty types', [{ subscriber: 'x', url: 'http://ledger:8080/', types: [], secret: SECRET }], /types must be null, or a non-empty array/],
    ['a short secret', [{ subscriber: 'x', url: 'http://ledger:8080/', secret: 'short' }], /secret must be at least 32 characters/],
    [
      'a secret of MESSAGING_SECRETS',
      [{ subscriber: 'x', url: 'http://ledger:8080/', secret: TEST_SECRET.padEnd(32, 'x') }],
      /must not be one of MESSAGING_SECRETS/,
    ],
    [
      'a subscriber twice',
      [
        { subscriber: 'x', url: 'http://ledger:8080/', secret: SECRET },
        { subscriber: 'x', url: 'http://ledger:8080/b', secret: SECRET },
      ],
      /declared twice/,
    ],
  ];
  for (const [what, declared, reason] of refusals) {
    it(`refuses to boot with EVENT_SUBSCRIPTIONS holding ${what}`, () => {
      const messagingSecret: Record<string, string> = what === 'a secret of MESSAGING_SECRETS' ? { MESSAGING_SECRETS: TEST_SECRET.padEnd(32, 'x') } : {};
      assert.throws(() => readBillingConfig(env(declared, messagingSecret)), reason);
    });
  }
});
