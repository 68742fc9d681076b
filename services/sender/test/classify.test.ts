import { describe, expect, it } from 'vitest';
import { classify } from '../src/domain/classify.js';

const graphError = (code: number, httpStatus = 400) =>
  classify({ type: 'graph_error', httpStatus, code, message: 'm' });

describe('classify', () => {
  it.each([130429, 1, 2, 4, 80007, 131000, 131016, 131057, 133004])(
    'retries code %i with standard pacing',
    (code) => {
      expect(graphError(code)).toMatchObject({ type: 'retryable', code, pacing: 'standard' });
    },
  );

  it('retries the pair rate limit 131056 with its own, longer pacing', () => {
    expect(graphError(131056)).toMatchObject({ type: 'retryable', code: 131056, pacing: 'pair' });
  });

  it.each([
    131047, 131026, 100, 190, 131008, 131009, 132000, 132001, 132015, 368, 131031, 131048, 130403, 0, 10,
  ])('does not retry code %i', (code) => {
    expect(graphError(code)).toMatchObject({ type: 'permanent', code });
  });

  it('retries an unknown code that came with a 5xx or is flagged transient', () => {
    expect(graphError(999_999, 503)).toMatchObject({ type: 'retryable' });
    expect(
      classify({ type: 'graph_error', httpStatus: 400, code: 999_999, message: 'm', transient: true }),
    ).toMatchObject({
      type: 'retryable',
    });
  });

  it('retries HTTP 429 and 5xx without a Graph error body, and fails other 4xx without one', () => {
    expect(classify({ type: 'http_error', httpStatus: 502 })).toMatchObject({ type: 'retryable', code: 0 });
    expect(classify({ type: 'http_error', httpStatus: 429 })).toMatchObject({ type: 'retryable', code: 0 });
    expect(classify({ type: 'http_error', httpStatus: 404 })).toMatchObject({ type: 'permanent', code: 0 });
  });

  it('retries a connection that never opened, but treats a lost answer as unconfirmed', () => {
    expect(classify({ type: 'network_error', reachedMeta: false, reason: 'ECONNREFUSED' })).toMatchObject({
      type: 'retryable',
    });
    expect(
      classify({ type: 'network_error', reachedMeta: true, reason: 'UND_ERR_HEADERS_TIMEOUT' }),
    ).toMatchObject({
      type: 'unconfirmed',
    });
  });

  it('reports an accepted send with its wamid', () => {
    expect(classify({ type: 'accepted', wamid: 'wamid.x' })).toEqual({ type: 'sent', wamid: 'wamid.x' });
  });
});
