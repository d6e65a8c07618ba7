import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { HttpRequest, RequestSigner, authenticationHeader, verifyAuthentication } from '../src';

interface Vector {
  secrets: string[];
  t: number;
  method: string;
  path: string;
  body: string;
  header: string;
}

/** The test vectors published in docs/protocol.md, read from the document itself. */
function documentedVectors(): Vector[] {
  const doc = readFileSync(join(__dirname, '../../../docs/protocol.md'), 'utf8');
  const block = /```json vectors\n([\s\S]*?)```/.exec(doc);
  assert.ok(block, 'docs/protocol.md has a ```json vectors block');
  return JSON.parse(block[1]);
}

const secret = 'correct-horse-battery-staple';
const part = { method: 'POST', path: '/messages', body: '{"text":"Hello"}' };
const now = 1_764_255_600_000;
const header = authenticationHeader([secret], now / 1000, part);
const verify = (value: string | undefined, changes: Partial<typeof part> = {}, secrets = [secret], at = now) =>
  verifyAuthentication(value, { ...part, ...changes }, secrets, { toleranceSeconds: 300, now: at });

describe('X-Authentication', () => {
  it('signs exactly as the vectors in docs/protocol.md say', () => {
    const vectors = documentedVectors();
    assert.ok(vectors.length >= 4);
    for (const vector of vectors) {
      assert.equal(authenticationHeader(vector.secrets, vector.t, vector), vector.header, `${vector.method} ${vector.path}`);
      assert.deepEqual(verifyAuthentication(vector.header, vector, vector.secrets.slice(-1), { now: vector.t * 1000 }), { ok: true });
    }
  });

  it('accepts a request signed with a secret it holds, within the clock tolerance either way', () => {
    assert.deepEqual(verify(header), { ok: true });
    assert.deepEqual(verify(header, {}, [secret], now + 300_000), { ok: true });
    assert.deepEqual(verify(header, {}, [secret], now - 300_000), { ok: true });
  });

  it('refuses a missing header', () => {
    assert.deepEqual(verify(undefined), { ok: false, reason: 'missing_header' });
    assert.deepEqual(verify(''), { ok: false, reason: 'missing_header' });
  });

  it('refuses a malformed header', () => {
    for (const value of ['v1=abc', 't=abc,v1=' + 'a'.repeat(64), `t=${now / 1000}`, `t=${now / 1000},v1=xyz`, `${header},junk`, 'Bearer token']) {
      assert.deepEqual(verify(value), { ok: false, reason: 'malformed_header' }, value);
    }
  });

  it('parses exactly the grammar docs/protocol.md gives: whitespace, leading zeros and upper-case hex are malformed', () => {
    const [timestamp, signature] = header.split(',');
    const variants = {
      'a space after the comma': `${timestamp}, ${signature}`,
      'a space inside': header.replace('t=', 't= '),
      'a tab before the signature': `${timestamp},\t${signature}`,
      'a leading zero on t': header.replace('t=', 't=0'),
      'upper-case hex': `${timestamp},v1=${signature.slice(3).toUpperCase()}`,
      'the signature first': `${signature},${timestamp}`,
    };
    for (const [what, value] of Object.entries(variants)) {
      assert.deepEqual(verify(value), { ok: false, reason: 'malformed_header' }, what);
    }
  });

  it('refuses a timestamp out of tolerance', () => {
    assert.deepEqual(verify(header, {}, [secret], now + 301_000), { ok: false, reason: 'timestamp_out_of_tolerance' });
    assert.deepEqual(verify(header, {}, [secret], now - 301_000), { ok: false, reason: 'timestamp_out_of_tolerance' });
  });

  it('refuses a wrong secret, and a body, path or method changed after signing', () => {
    assert.deepEqual(verify(header, {}, ['another-secret-entirely']), { ok: false, reason: 'signature_mismatch' });
    assert.deepEqual(verify(header, { body: '{"text":"Hell0"}' }), { ok: false, reason: 'signature_mismatch' });
    assert.deepEqual(verify(header, { path: '/messages?x=1' }), { ok: false, reason: 'signature_mismatch' });
    assert.deepEqual(verify(header, { method: 'PUT' }), { ok: false, reason: 'signature_mismatch' });
  });

  it('lets a sender holding the old and the new secret talk to a receiver holding either one', () => {
    const rotating = authenticationHeader(['old-secret-0123456789', 'new-secret-9876543210'], now / 1000, part);
    assert.deepEqual(verify(rotating, {}, ['old-secret-0123456789']), { ok: true });
    assert.deepEqual(verify(rotating, {}, ['new-secret-9876543210']), { ok: true });
    const oldOnly = authenticationHeader(['old-secret-0123456789'], now / 1000, part);
    assert.deepEqual(verify(oldOnly, {}, ['new-secret-9876543210']), { ok: false, reason: 'signature_mismatch' });
  });

  it('RequestSigner signs the path with its query string and the body as sent, at the current time', () => {
    const request = HttpRequest.to('http://127.0.0.1:3002/messages?dry=1', 'POST').withJson({ text: 'Hello' });
    const signed = new RequestSigner([secret], () => now).sign(request);
    const value = signed.headers['x-authentication'];
    assert.match(value, /^t=1764255600,v1=[0-9a-f]{64}$/);
    assert.deepEqual(verifyAuthentication(value, { method: 'POST', path: '/messages?dry=1', body: request.body! }, [secret], { now }), { ok: true });
    assert.equal(request.headers['x-authentication'], undefined, 'the job’s own request is left unsigned');
  });
});
