import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loggableUrl, maskPhoneNumber, redactUrls } from '../src';
import { clientKey } from '../src/lib/nest/rate-limits';

describe('what a log line may show', () => {
  it('shows a URL without credentials, query string or fragment', () => {
    assert.equal(loggableUrl('https://user:pass@billing.example:8443/messages/1?token=abc#x'), 'https://billing.example:8443/messages/1');
    assert.equal(loggableUrl('not a url'), '(malformed URL)');
  });

  it('redacts every URL inside a text, such as a job identity', () => {
    assert.equal(redactUrls('sms:http://a:b@billing.example/messages/1?t=secret gave up'), 'sms:http://billing.example/messages/1 gave up');
  });

  it('shows only the last three digits of a phone number', () => {
    assert.equal(maskPhoneNumber('+393331234567'), '+*********567');
    assert.equal(maskPhoneNumber('393331234567'), '*********567');
    assert.equal(maskPhoneNumber('12'), '12');
  });
});

describe('the client key of a rate limit', () => {
  it('is the address for IPv4 (mapped or not), and the /64 network for IPv6', () => {
    assert.equal(clientKey('203.0.113.7'), '203.0.113.7');
    assert.equal(clientKey('::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(clientKey('2001:db8:0:1:aaaa::1'), '2001:db8:0:1::/64');
    assert.equal(clientKey('2001:db8:0:1:bbbb:cccc:dddd:eeee'), '2001:db8:0:1::/64', 'one /64, one count');
    assert.equal(clientKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(clientKey('::1'), '0:0:0:0::/64');
  });
});
