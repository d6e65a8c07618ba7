import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { TestConnectivity, buildMessage, postJson, signed, startTestConnectivity } from './connectivity-app';

let connectivity: TestConnectivity;
let app: NestFastifyApplication;
let baseUrl: string;
let database: DataSource;
before(async () => {
  connectivity = await startTestConnectivity({ bodyLimitBytes: 8192 });
  ({ app, url: baseUrl } = connectivity);
  database = app.get(DataSource);
});
after(() => connectivity.close());

const run = randomUUID();
const printable = fc.string({
  unit: fc.constantFrom(...' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~'),
  maxLength: 120,
});

/** Bodies from plausible to absurd; message URLs, when they are strings, carry this run's marker. */
const body = (kind: 'signed' | 'unsigned') =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .record({
          text: fc.string({ minLength: 1, maxLength: 1600 }),
          phoneNumber: fc.stringMatching(/^\+?\d{6,15}$/),
          message: fc.webPath().map((path) => `http://fuzz.test/${run}/${kind}${path}`),
        })
        .map((value) => JSON.stringify(value)),
    },
    fc
      .record(
        {
          text: fc.oneof(fc.string({ maxLength: 1700 }), fc.integer(), fc.constant(null), fc.array(fc.string())),
          phoneNumber: fc.oneof(fc.stringMatching(/^\+?\d{0,17}$/), fc.string(), fc.integer()),
          phonenumber: fc.oneof(fc.stringMatching(/^\+?\d{6,15}$/), fc.string()),
          message: fc.oneof(
            fc.webPath().map((path) => `http://fuzz.test/${run}/${kind}${path}`),
            fc.string().map((tail) => `http://fuzz.test/${run}/${kind}/${tail}`),
            // Whole URLs of every shape: credentials, IPv4 and IPv6 hosts, fragments, queries.
            fc.webUrl({
              validSchemes: ['http', 'https', 'HTTP'],
              withFragments: true,
              withQueryParameters: true,
              authoritySettings: { withUserInfo: true, withIPv4: true, withIPv6: true, withIPv4Extended: true, withPort: true },
            }),
            fc.string(),
            fc.integer(),
          ),
          extra: fc.anything(),
        },
        { requiredKeys: [] },
      )
      .map((value) => JSON.stringify(value)),
    // What Postgres cannot store as sent: a NUL or a lone surrogate in an otherwise valid message.
    {
      weight: 2,
      arbitrary: fc
        .record({
          text: fc
            .tuple(fc.string({ maxLength: 40 }), fc.constantFrom('\u0000', '\ud800', '\udfff', '\udbff\u0041'), fc.string({ maxLength: 40 }))
            .map((parts) => parts.join('')),
          phoneNumber: fc.stringMatching(/^\d{6,15}$/),
          message: fc.webPath().map((path) => `http://fuzz.test/${run}/${kind}-unstorable${path}`),
        })
        .map((value) => JSON.stringify(value)),
    },
    // Deep nesting, closed or not, bare or inside a field: the body parser refuses past 32 levels.
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.integer({ min: 20, max: 3000 }), fc.constantFrom('[', '{"a":'), fc.boolean(), fc.boolean())
        .map(([depth, opener, closed, inField]) => {
          const nested = `${opener.repeat(depth)}1${closed ? (opener === '[' ? ']' : '}').repeat(depth) : ''}`;
          return inField ? `{"text":"hi","phoneNumber":"393331234567","message":"http://fuzz.test/${run}/${kind}-deep","extra":${nested}}` : nested;
        }),
    },
    fc.json(),
    fc.string({ maxLength: 300 }),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  );

const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  fc.constant('application/json; charset=utf-8'),
  fc.constant('text/plain'),
  fc.constant('application/x-www-form-urlencoded'),
  fc.constant('multipart/form-data; boundary=x'),
  printable,
);

type Authentication = 'valid' | 'none' | 'garbage' | 'wrong-secret' | 'stale' | 'tampered';
const authentication = fc.constantFrom<Authentication>('valid', 'none', 'garbage', 'wrong-secret', 'stale', 'tampered');

function headerFor(kind: Authentication, url: string, text: string, garbage: string): string | undefined {
  switch (kind) {
    case 'valid':
      return signed('POST', url, text);
    case 'none':
      return undefined;
    case 'garbage':
      return garbage;
    case 'wrong-secret':
      return signed('POST', url, text, ['a-secret-nobody-holds-000']);
    case 'stale':
      return signed('POST', url, text, undefined, Date.now() - 3_600_000);
    case 'tampered':
      return signed('POST', url, `${text} `);
  }
}

describe('POST /messages under random input', () => {
  it('never answers 5xx, and stores nothing that was not correctly signed', async () => {
    const statuses = new Map<number, number>();
    const codes = new Map<string, number>();
    const request = fc
      .tuple(authentication, contentType, printable)
      .chain(([auth, type, garbage]) => body(auth === 'valid' ? 'signed' : 'unsigned').map((text) => ({ auth, type, garbage, text })));
    await fc.assert(
      fc.asyncProperty(request, async ({ auth, type, garbage, text }) => {
        const url = `${baseUrl}/messages`;
        const header = headerFor(auth, url, text, garbage);
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': type, ...(header === undefined ? {} : { 'x-authentication': header }) },
          body: text,
        });
        const answer = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const code = response.status === 400 ? (JSON.parse(answer) as { error: { code: string } }).error.code : undefined;
        if (code) codes.set(code, (codes.get(code) ?? 0) + 1);
        assert.ok(response.status < 500, `HTTP ${response.status} for ${auth} ${type} ${text.slice(0, 200)}`);
        if (auth !== 'valid') assert.ok([400, 401, 413, 415].includes(response.status), `HTTP ${response.status} without a valid signature`);
      }),
      {
        numRuns: Number(process.env.FUZZ_RUNS ?? 400),
        seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined,
        // Deep nesting, which the final checks count on, whatever the seed draws besides.
        examples: [[{ auth: 'valid' as const, type: 'application/json', garbage: '', text: '['.repeat(100) }]],
      },
    );
    const [{ count }] = await database.query(`SELECT count(*)::int AS count FROM messages WHERE message_url LIKE $1`, [`http://fuzz.test/${run}/unsigned%`]);
    assert.equal(count, 0, 'no unsigned message was stored');
    const [{ unstorable }] = await database.query(`SELECT count(*)::int AS unstorable FROM messages WHERE message_url LIKE $1`, [
      `http://fuzz.test/${run}/signed-unstorable%`,
    ]);
    assert.equal(unstorable, 0, 'no text with a NUL or a lone surrogate was stored (or stored altered)');
    for (const code of ['too_deep', 'invalid_request']) {
      assert.ok((codes.get(code) ?? 0) > 0, `the fuzz produced no 400 ${code}: ${JSON.stringify([...codes])}`);
    }
    for (const status of [202, 400, 401, 415]) {
      assert.ok((statuses.get(status) ?? 0) > 0, `the fuzz produced no ${status}: ${JSON.stringify([...statuses])}`);
    }
    assert.equal((await postJson(`${baseUrl}/messages`, buildMessage())).status, 202, 'the service still serves');
  });
});
