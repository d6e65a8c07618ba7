import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_SECRET } from '@onebip/testing';
import { readConnectivityConfig } from '../src/config/connectivity-config';

const production = { NODE_ENV: 'production', MESSAGING_SECRETS: TEST_SECRET, CALLBACK_ALLOWED_HOSTS: 'billing:3001' };

describe("connectivity's configuration of the SMS gateway", () => {
  it('outside production submits SMS to the simulated carrier it serves itself, unless told otherwise', (t) => {
    t.mock.method(console, 'warn', () => undefined);
    const config = readConnectivityConfig({ NODE_ENV: 'development', PORT: '4002' });
    assert.equal(config.simulatedCarrier, true);
    assert.equal(config.smsGateway.url, 'http://127.0.0.1:4002/simulated-carrier/sms');
    assert.equal(
      readConnectivityConfig({ NODE_ENV: 'test', SIMULATED_CARRIER_ENABLED: 'false', SMS_GATEWAY_URL: 'https://sms.example/v1' }).simulatedCarrier,
      false,
    );
  });

  it('in production serves no simulated carrier, and needs SMS_GATEWAY_URL to name the real one', () => {
    assert.throws(() => readConnectivityConfig(production), /SMS_GATEWAY_URL is required/);
    const config = readConnectivityConfig({ ...production, SMS_GATEWAY_URL: 'https://sms.example/v1' });
    assert.equal(config.simulatedCarrier, false);
    assert.equal(config.smsGateway.url, 'https://sms.example/v1');
  });

  it('refuses to boot in production with the simulated carrier turned on', () => {
    assert.throws(
      () => readConnectivityConfig({ ...production, SIMULATED_CARRIER_ENABLED: 'true', SMS_GATEWAY_URL: 'https://sms.example/v1' }),
      /SIMULATED_CARRIER_ENABLED=true is refused with NODE_ENV=production/,
    );
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
