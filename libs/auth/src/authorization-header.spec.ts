import { parseAuthorization } from './authorization-header';

const jws = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';

describe('parseAuthorization', () => {
  it.each([
    [`Bearer ${jws}`, 'Bearer'],
    [`bearer ${jws}`, 'Bearer'],
    [`DPoP ${jws}`, 'DPoP'],
    [`DPOP   ${jws}`, 'DPoP'],
    [[`Bearer ${jws}`], 'Bearer'],
  ])('reads %s', (header, scheme) => {
    expect(parseAuthorization(header)).toEqual({ kind: 'token', scheme, token: jws });
  });

  it.each([undefined, '', '   ', []])('missing for %p', (header) => {
    expect(parseAuthorization(header)).toEqual({ kind: 'missing' });
  });

  it('unsupported for other schemes and for several headers', () => {
    expect(parseAuthorization('Basic abc')).toEqual({ kind: 'unsupported', scheme: 'Basic' });
    expect(parseAuthorization([`Bearer ${jws}`, `Bearer ${jws}`]).kind).toBe('unsupported');
  });

  it.each(['Bearer', 'Bearer abc', `Bearer ${jws} extra`, 'Bearer a.b.c.d.e', `Bearer ${jws}.`])(
    'malformed for %s',
    (header) => {
      expect(parseAuthorization(header).kind).toBe('malformed');
    },
  );
});
