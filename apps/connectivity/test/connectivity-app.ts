import { randomUUID } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { authenticationHeader, signedFetch } from '@onebip/messaging';
import { ScriptedReceiver, TEST_EDGE, TEST_SECRET, deleteRedisKeys, testDatabaseUrl, testRedisUrl, uniquePrefix } from '@onebip/testing';
import { ConnectivityConfig } from '../src/config/connectivity-config';
import { startConnectivityDemo } from '../src/demo/start-connectivity-demo';
import { startConnectivity } from '../src/start-connectivity';

export interface TestConnectivity {
  app: NestFastifyApplication;
  url: string;
  /** The stand-in carrier that takes the SMS (202 unless a test scripts it otherwise). */
  carrier: ScriptedReceiver;
  close(): Promise<void>;
}

/**
 * Connectivity started in this process on a free port, against the test database, with a Redis
 * key prefix of its own and a scripted carrier; retries in fractions of a second. The production
 * build unless `build` is `demo` (the chaos switches).
 */
export async function startTestConnectivity(
  overrides: Partial<ConnectivityConfig> = {},
  carrier?: ScriptedReceiver,
  build: 'production' | 'demo' = 'production',
): Promise<TestConnectivity> {
  const smsCarrier = carrier ?? (await ScriptedReceiver.start([], 202));
  const queuePrefix = uniquePrefix('connectivity');
  const start = build === 'demo' ? startConnectivityDemo : startConnectivity;
  const app = await start(
    {
      role: 'all',
      port: 0,
      host: '127.0.0.1',
      databaseUrl: testDatabaseUrl('connectivity'),
      bodyLimitBytes: 64 * 1024,
      edge: TEST_EDGE,
      messaging: { secrets: [TEST_SECRET], clockToleranceSeconds: 300 },
      redisUrl: testRedisUrl(),
      queuePrefix,
      smsGateway: {
        url: `${smsCarrier.url}/sms`,
        retryFirstWaitSeconds: 0.02,
        retryUpToSeconds: 0.1,
        sweepIntervalMs: 3_600_000,
        sweepAcceptedAfterMs: 0,
      },
      callbacks: { allowedHosts: [], retryFirstWaitSeconds: 0.02, retryUpToSeconds: 1, sweepIntervalMs: 3_600_000, sweepUnacknowledgedAfterMs: 0 },
      logLevel: 'info',
      adminUi: { enabled: false },
      ...overrides,
    },
    { logger: false },
  );
  return {
    app,
    url: await app.getUrl(),
    carrier: smsCarrier,
    close: async () => {
      await app.close();
      await smsCarrier.stop();
      await deleteRedisKeys(testRedisUrl(), queuePrefix);
    },
  };
}

/** A message body as billing sends it, with a message URL of its own unless overridden. */
export function buildMessage(overrides: Record<string, unknown> = {}) {
  return { text: 'You paid 12.99 EUR', phoneNumber: '393331234567', message: `http://127.0.0.1:3001/messages/${randomUUID()}`, ...overrides };
}

/** The X-Authentication header a service holding `secrets` would send for this request now. */
export function signed(method: string, url: string, body = '', secrets: string[] = [TEST_SECRET], at = Date.now()): string {
  const { pathname, search } = new URL(url);
  return authenticationHeader(secrets, Math.floor(at / 1000), { method, path: `${pathname}${search}`, body });
}

/** POSTs JSON as an authenticated service would, unless `headers` says otherwise. */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-authentication': signed('POST', url, text), ...headers },
    body: text,
  });
}

/** GETs as an authenticated service would. */
export function getSigned(url: string): Promise<Response> {
  return signedFetch(url, [TEST_SECRET]);
}
