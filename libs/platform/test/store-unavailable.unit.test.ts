import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStoreUnavailable } from '../src/lib/errors/store-unavailable';

/** A TypeORM QueryFailedError as it wraps the driver's error. */
const queryFailed = (code: string) => ({ message: 'query failed', driverError: { code, message: 'from PostgreSQL' } });

describe('which failures of a store pass, answered 503', () => {
  it('a store out of reach, or a write PostgreSQL aborted for a passing reason', () => {
    for (const code of ['ECONNREFUSED', '57P01', '08006', '40001', '40P01', '55P03', '57014', '53300', '25006']) {
      assert.equal(isStoreUnavailable(queryFailed(code)), true, code);
    }
    assert.equal(isStoreUnavailable(new Error('Connection terminated unexpectedly')), true);
  });

  it('not a query PostgreSQL refuses for good, nor a bug', () => {
    for (const code of ['23505', '23502', '42601', '22P02', 'P0001']) assert.equal(isStoreUnavailable(queryFailed(code)), false, code);
    assert.equal(isStoreUnavailable(new TypeError('x is undefined')), false);
    assert.equal(isStoreUnavailable(undefined), false);
  });
});
