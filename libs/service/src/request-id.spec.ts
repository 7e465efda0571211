import type { IncomingMessage } from 'node:http';
import { assignRequestId } from './request-id';

const request = (id?: string) =>
  ({ headers: id === undefined ? {} : { 'x-request-id': id } }) as unknown as IncomingMessage;

describe('assignRequestId', () => {
  it("keeps a caller's well-formed request id", () => {
    const req = request('vendor-123:abc');
    expect(assignRequestId(req)).toBe('vendor-123:abc');
  });

  it('replaces a missing or suspicious id with a new one and writes it back', () => {
    for (const req of [
      request(),
      request('a b'),
      request('x'.repeat(200)),
      request('01017012345\n'),
    ]) {
      const id = assignRequestId(req);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(req.headers['x-request-id']).toBe(id);
    }
  });
});
