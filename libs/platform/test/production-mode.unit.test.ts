import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EnvReader, isProduction, readAdminUi, readHttpEdge } from '../src';

function read<T>(env: Record<string, string | undefined>, reader: (read: EnvReader, env: Record<string, string | undefined>) => T): T {
  const envReader = new EnvReader(env);
  return envReader.done(reader(envReader, env));
}

describe('production mode, which fails closed', () => {
  it('is on unless NODE_ENV is exactly development or test', () => {
    for (const value of [undefined, '', 'production', 'Production', 'PRODUCTION', 'prod', 'staging', 'development ', ' test', 'Development']) {
      assert.equal(isProduction({ NODE_ENV: value }), true, JSON.stringify(value));
    }
    assert.equal(isProduction({ NODE_ENV: 'development' }), false);
    assert.equal(isProduction({ NODE_ENV: 'test' }), false);
  });

  it('treats a misspelled NODE_ENV as production: admin pages off', () => {
    assert.equal(read({ NODE_ENV: 'prod' }, readAdminUi).enabled, false);
  });

  it('refuses an admin password shorter than 12 characters in production', () => {
    const admin = (password: string) => ({ NODE_ENV: 'production', ADMIN_UI_ENABLED: 'true', ADMIN_USER: 'ops', ADMIN_PASSWORD: password });
    assert.throws(() => read(admin('eleven-char'), readAdminUi), /ADMIN_PASSWORD must have 12 characters or more/);
    assert.equal(read(admin('twelve-chars'), readAdminUi).enabled, true);
  });
});

describe('the HTTP edge configuration', () => {
  it('in production serves /metrics on a port of its own, 9464 unless METRICS_PORT says otherwise, and not on the service port', () => {
    assert.deepEqual(read({ NODE_ENV: 'production' }, readHttpEdge).metrics, { onServicePort: false, port: 9464 });
    assert.deepEqual(read({ NODE_ENV: 'production', METRICS_PORT: '9465' }, readHttpEdge).metrics, { onServicePort: false, port: 9465 });
    assert.deepEqual(read({ NODE_ENV: 'development' }, readHttpEdge).metrics, { onServicePort: true, port: undefined });
  });

  it('sets a 30 s deadline for a whole request by default, and refuses a header deadline beyond it', () => {
    const edge = read({ NODE_ENV: 'production' }, readHttpEdge);
    assert.equal(edge.requestTimeoutMs, 30_000);
    assert.ok(edge.headersTimeoutMs <= edge.requestTimeoutMs);
    assert.throws(() => read({ HTTP_REQUEST_TIMEOUT_MS: '1000', HTTP_HEADERS_TIMEOUT_MS: '5000' }, readHttpEdge), /must not exceed HTTP_REQUEST_TIMEOUT_MS/);
  });

  it('trusts X-Forwarded-For from the proxies named, as addresses or CIDR ranges, and refuses anything else', () => {
    assert.deepEqual(read({ TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.10,::1' }, readHttpEdge).trustedProxies, ['10.0.0.0/8', '192.168.1.10', '::1']);
    assert.deepEqual(read({}, readHttpEdge).trustedProxies, []);
    assert.throws(() => read({ TRUSTED_PROXIES: 'loadbalancer' }, readHttpEdge), /TRUSTED_PROXIES must list IP addresses or CIDR ranges/);
    assert.throws(() => read({ TRUSTED_PROXIES: '10.0.0.0/33' }, readHttpEdge), /TRUSTED_PROXIES/);
  });
});
