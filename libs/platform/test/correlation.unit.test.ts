import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { correlationHeaders, currentCorrelationId, runWithCorrelationId } from '../src';
import { correlationIdFrom } from '../src/lib/observability/correlation';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('correlation ids', () => {
  it('takes the trace-id of a valid W3C traceparent', () => {
    assert.equal(correlationIdFrom({ traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` }), TRACE_ID);
  });

  it('prefers traceparent to X-Request-Id, and takes X-Request-Id alone', () => {
    assert.equal(correlationIdFrom({ traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`, 'x-request-id': 'abc' }), TRACE_ID);
    assert.equal(correlationIdFrom({ 'x-request-id': 'checkout-42' }), 'checkout-42');
  });

  it('ignores malformed headers and makes a new trace-id instead', () => {
    for (const headers of [
      { traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` },
      { traceparent: `ff-${TRACE_ID}-00f067aa0ba902b7-01` },
      { traceparent: 'garbage' },
      { 'x-request-id': 'has spaces and "quotes"' },
      { 'x-request-id': 'x'.repeat(129) },
      {},
    ]) {
      const id = correlationIdFrom(headers);
      assert.match(id, /^[0-9a-f]{32}$/, JSON.stringify(headers));
      assert.notEqual(id, TRACE_ID);
    }
  });

  it('sends a trace-id on as traceparent with a new parent-id, and always as X-Request-Id', () => {
    const first = correlationHeaders(TRACE_ID);
    const second = correlationHeaders(TRACE_ID);
    assert.equal(first['x-request-id'], TRACE_ID);
    assert.match(first.traceparent, new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    assert.notEqual(first.traceparent, second.traceparent, 'each hop has its own parent-id');
    assert.equal(correlationIdFrom(first), TRACE_ID, 'the receiver finds the same id');
    assert.deepEqual(correlationHeaders('checkout-42'), { 'x-request-id': 'checkout-42' }, 'no traceparent for an id that is not a trace-id');
  });

  it('holds the id across awaits inside runWithCorrelationId, and none outside', async () => {
    assert.equal(currentCorrelationId(), undefined);
    await runWithCorrelationId('job-7', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      assert.equal(currentCorrelationId(), 'job-7');
    });
    assert.equal(currentCorrelationId(), undefined);
  });
});
