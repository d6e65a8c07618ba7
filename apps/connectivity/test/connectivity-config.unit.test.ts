import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_SECRET } from '@onebip/testing';
import { readConnectivityConfig } from '../src/config/connectivity-config';

const production = { NODE_ENV: 'production', MESSAGING_SECRETS: TEST_SECRET, CALLBACK_ALLOWED_HOSTS: 'billing:3001' };

describe("connectivity's configuration of the SMS gateway", () => {
  it('outside production submits SMS to the simulated carrier on its default address, unless told otherwise', (t) => {
    t.mock.method(console, 'warn', () => undefined);
    assert.equal(readConnectivityConfig({ NODE_ENV: 'development', PORT: '4002' }).smsGateway.url, 'http://127.0.0.1:3003/sms');
    assert.equal(readConnectivityConfig({ NODE_ENV: 'test', SMS_GATEWAY_URL: 'https://sms.example/v1' }).smsGateway.url, 'https://sms.example/v1');
  });

  it('in production needs SMS_GATEWAY_URL to name the carrier', () => {
    assert.throws(() => readConnectivityConfig(production), /SMS_GATEWAY_URL is required/);
    assert.equal(readConnectivityConfig({ ...production, SMS_GATEWAY_URL: 'https://sms.example/v1' }).smsGateway.url, 'https://sms.example/v1');
  });
});

describe("connectivity's configuration of callbacks", () => {
  it('in production refuses to boot without CALLBACK_ALLOWED_HOSTS', () => {
    const withoutHosts = { ...production, CALLBACK_ALLOWED_HOSTS: undefined };
    assert.throws(
      () => readConnectivityConfig({ ...withoutHosts, SMS_GATEWAY_URL: 'https://sms.example/v1' }),
      /CALLBACK_ALLOWED_HOSTS is required with NODE_ENV=production/,
    );
    assert.deepEqual(readConnectivityConfig({ ...production, SMS_GATEWAY_URL: 'https://sms.example/v1' }).callbacks.allowedHosts, ['billing:3001']);
  });
});
