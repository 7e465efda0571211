import { backoffMs, defaultRetryPolicy } from './retry-policy';

describe('backoffMs', () => {
  it('doubles the ceiling per attempt and stays within [ceiling/2, ceiling]', () => {
    expect(backoffMs(defaultRetryPolicy, 1, () => 0)).toBe(100);
    expect(backoffMs(defaultRetryPolicy, 1, () => 1)).toBe(200);
    expect(backoffMs(defaultRetryPolicy, 3, () => 1)).toBe(800);
  });

  it('never exceeds the maximum', () => {
    expect(backoffMs(defaultRetryPolicy, 30, () => 1)).toBe(defaultRetryPolicy.maxBackoffMs);
  });
});
