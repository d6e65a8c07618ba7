import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalMessageUrl } from '../src';

/** The rows of the table that follows `marker` in docs/protocol.md: cells without their backticks. */
function protocolTable(marker: string): string[][] {
  const lines = readFileSync(join(__dirname, '../../../docs/protocol.md'), 'utf8').split('\n');
  const start = lines.findIndex((line) => line.includes(`<!-- ${marker}`));
  assert.ok(start >= 0, `docs/protocol.md has the ${marker} table`);
  const rows: string[][] = [];
  let line = start + 1;
  while (line < lines.length && !lines[line].startsWith('|')) line += 1;
  for (; line < lines.length && lines[line].startsWith('|'); line += 1) {
    const cells = lines[line]
      .slice(1, -1)
      .split(' | ')
      .map((cell) => cell.trim().replace(/^`|`$/g, ''));
    if (cells[0] !== 'input' && cells[0] !== 'one' && !cells[0].startsWith('---')) rows.push(cells);
  }
  assert.ok(rows.length > 5, `${marker}: rows read`);
  return rows;
}

const canonical = (url: string) => {
  const result = canonicalMessageUrl(url);
  return result.ok ? result.canonical : '400';
};

describe('a message URL’s canonical form (docs/protocol.md)', () => {
  for (const [input, expected] of protocolTable('message-url-canonical-forms')) {
    it(`${input} → ${expected}`, () => assert.equal(canonical(input), expected));
  }

  for (const [one, another] of protocolTable('message-url-distinct-pairs')) {
    it(`keeps ${one} and ${another} apart`, () => {
      assert.notEqual(canonical(one), '400');
      assert.notEqual(canonical(another), '400');
      assert.notEqual(canonical(one), canonical(another));
    });
  }

  it('answers a value that is no string (a repeated query parameter, say) without throwing', () => {
    assert.equal(canonicalMessageUrl(['http://a.example/1', 'http://b.example/2'] as unknown as string).ok, false);
    assert.equal(canonicalMessageUrl({ a: 1 } as unknown as string).ok, false);
  });

  it('maps an internationalized host as WHATWG parsers and DNS do', () => {
    for (const host of ['ΣΣ.example', 'σς.example', 'Bücher.example', 'ＥＸＡＭＰＬＥ.com']) {
      assert.equal(canonical(`http://${host}/m`), `http://${new URL(`http://${host}/m`).host}/m`, host);
    }
  });

  it('says why a URL has no canonical form', () => {
    const result = canonicalMessageUrl('http://billing.example/messages/1#x');
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.problem : '', /fragment/);
  });
});

/** A URL built from parts, and ways of spelling it that name the same resource. */
const unreservedWord = fc.stringMatching(/^[a-z0-9~_-]{1,8}$/);
const segment = fc.stringMatching(/^[A-Za-z0-9~_-]{1,8}$/);
const url = fc.record({
  scheme: fc.constantFrom('http', 'https'),
  host: fc.array(
    unreservedWord.filter((label) => /^[a-z]/.test(label) && !label.includes('_') && !label.includes('~')),
    { minLength: 1, maxLength: 3 },
  ),
  port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  segments: fc.array(segment, { minLength: 0, maxLength: 4 }),
  query: fc.option(
    fc.stringMatching(/^[A-Za-z0-9=&+%-]{0,10}$/).filter((query) => !/%(?![0-9A-F]{2})/.test(query)),
    { nil: undefined },
  ),
});
type Parts = typeof url extends fc.Arbitrary<infer T> ? T : never;

function spell(parts: Parts, style: { upperScheme: boolean; upperHost: boolean; defaultPort: boolean; dots: boolean; encode: boolean }): string {
  const scheme = style.upperScheme ? parts.scheme.toUpperCase() : parts.scheme;
  const host = parts.host.join('.');
  const port = parts.port !== undefined ? `:${parts.port}` : style.defaultPort ? (parts.scheme === 'http' ? ':80' : ':443') : '';
  const path = parts.segments
    .map((name) => (style.encode ? name.replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`) : name))
    .map((name) => (style.dots ? `./x/../${name}` : name));
  return `${scheme}://${style.upperHost ? host.toUpperCase() : host}${port}/${path.join('/')}${parts.query !== undefined ? `?${parts.query}` : ''}`;
}

const style = fc.record({ upperScheme: fc.boolean(), upperHost: fc.boolean(), defaultPort: fc.boolean(), dots: fc.boolean(), encode: fc.boolean() });
const plain = { upperScheme: false, upperHost: false, defaultPort: false, dots: false, encode: false };

describe('canonical forms, for any URL', () => {
  it('are idempotent', () => {
    fc.assert(
      fc.property(url, style, (parts, how) => {
        const once = canonical(spell(parts, how));
        assert.notEqual(once, '400');
        assert.equal(canonical(once), once);
      }),
    );
  });

  it('are the same for every respelling: case of scheme and host, dot segments, encoded unreserved characters, a default port', () => {
    fc.assert(fc.property(url, style, (parts, how) => assert.equal(canonical(spell(parts, how)), canonical(spell(parts, plain)))));
  });

  it('differ when the path differs in case or in a reserved character', () => {
    fc.assert(
      fc.property(
        url.filter((parts) => parts.segments.some((name) => /[a-z]/.test(name))),
        fc.constantFrom('case', '/', ';'),
        (parts, change) => {
          const index = parts.segments.findIndex((name) => /[a-z]/.test(name));
          const changed = (replace: (name: string) => string) => ({
            ...parts,
            segments: parts.segments.map((name, i) => (i === index ? replace(name) : name)),
          });
          // A reserved character and its percent-encoding are two URLs (RFC 3986 2.2), as are two cases of a path.
          const original = change === 'case' ? parts : changed((name) => `${name}${change}x`);
          const other =
            change === 'case'
              ? changed((name) => name.replace(/[a-z]/, (c) => c.toUpperCase()))
              : changed((name) => `${name}%${change.charCodeAt(0).toString(16).toUpperCase()}x`);
          assert.notEqual(canonical(spell(original, plain)), canonical(spell(other, plain)));
        },
      ),
    );
  });
});
