import { normalizeHtu } from './htu';

describe('normalizeHtu', () => {
  it.each([
    ['HTTPS://Example.COM/a/b', 'https://example.com/a/b'],
    ['https://example.com:443/a', 'https://example.com/a'],
    ['http://example.com:80/a', 'http://example.com/a'],
    ['https://example.com:8443/a', 'https://example.com:8443/a'],
    ['https://example.com', 'https://example.com/'],
    ['https://example.com/a/./b/../c', 'https://example.com/a/c'],
    ['https://example.com/a?query=1#frag', 'https://example.com/a'],
    ['https://user:pw@example.com/a', 'https://example.com/a'],
    ['https://example.com/%7euser/%2f%41', 'https://example.com/~user/%2FA'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeHtu(input)).toBe(expected);
  });

  it.each(['/relative/path', 'not a url', 'ftp://example.com/a', 'urn:x:y', ''])(
    'refuses %s',
    (input) => {
      expect(normalizeHtu(input)).toBeUndefined();
    },
  );

  it('keeps different paths different', () => {
    expect(normalizeHtu('https://example.com/a/b')).not.toBe(
      normalizeHtu('https://example.com/a/B'),
    );
    expect(normalizeHtu('https://example.com/a%2Fb')).not.toBe(
      normalizeHtu('https://example.com/a/b'),
    );
  });
});
