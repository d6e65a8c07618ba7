import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EnvReader } from '@onebip/platform';
import { DEVELOPMENT_SECRET, readMessagingSecurity } from '../src';

const STRONG = 'a-production-secret-of-32-characters-or-more';

function read<T>(env: Record<string, string | undefined>, reader: (read: EnvReader, env: Record<string, string | undefined>) => T): T {
  const envReader = new EnvReader(env);
  return envReader.done(reader(envReader, env));
}

describe('the shared secrets, which production holds to a standard', () => {
  it('requires secrets when NODE_ENV is anything but development or test, a misspelling included', () => {
    assert.throws(() => read({ NODE_ENV: 'Production' }, readMessagingSecurity), /MESSAGING_SECRETS is required in production/);
  });

  it('refuses the published development secret in production', () => {
    assert.throws(() => read({ NODE_ENV: 'production', MESSAGING_SECRETS: `${STRONG},${DEVELOPMENT_SECRET}` }, readMessagingSecurity), /development secret/);
  });

  it('refuses a secret shorter than 32 characters in production, and takes one of 32', () => {
    assert.throws(() => read({ NODE_ENV: 'production', MESSAGING_SECRETS: `${STRONG},${'x'.repeat(31)}` }, readMessagingSecurity), /32 characters or more/);
    assert.deepEqual(read({ NODE_ENV: 'production', MESSAGING_SECRETS: 'y'.repeat(32) }, readMessagingSecurity).secrets, ['y'.repeat(32)]);
    assert.deepEqual(
      read({ NODE_ENV: 'development', MESSAGING_SECRETS: 'z'.repeat(16) }, readMessagingSecurity).secrets,
      ['z'.repeat(16)],
      'outside production, 16 do',
    );
  });
});
