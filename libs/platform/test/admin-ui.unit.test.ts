import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, EnvReader, readAdminUi } from '../src';

function adminUi(env: Record<string, string>) {
  const read = new EnvReader(env);
  return read.done(readAdminUi(read, env));
}

describe('admin pages configuration', () => {
  it('serves the pages openly outside production', () => {
    assert.deepEqual(adminUi({ NODE_ENV: 'development' }), { enabled: true, credentials: undefined });
    assert.equal(adminUi({}).enabled, false, 'an unset NODE_ENV is production');
  });

  it('turns them off in production unless ADMIN_UI_ENABLED=true', () => {
    assert.equal(adminUi({ NODE_ENV: 'production' }).enabled, false);
  });

  it('requires ADMIN_USER and ADMIN_PASSWORD when they are on in production', () => {
    assert.throws(
      () => adminUi({ NODE_ENV: 'production', ADMIN_UI_ENABLED: 'true' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /ADMIN_UI_ENABLED=true with NODE_ENV=production requires ADMIN_USER and ADMIN_PASSWORD/);
        return true;
      },
    );
    assert.deepEqual(adminUi({ NODE_ENV: 'production', ADMIN_UI_ENABLED: 'true', ADMIN_USER: 'ops', ADMIN_PASSWORD: 'long-password' }), {
      enabled: true,
      credentials: { user: 'ops', password: 'long-password' },
    });
  });

  it('refuses a user without a password', () => {
    assert.throws(() => adminUi({ ADMIN_USER: 'ops' }), /ADMIN_USER and ADMIN_PASSWORD must be set together/);
  });
});
