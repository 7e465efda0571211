import { escapeXml, narrativeDiv } from './xhtml';

describe('escapeXml', () => {
  it('escapes markup, ampersands and quotes', () => {
    expect(escapeXml(`<script>alert("x") & 'y'</script>`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;) &amp; &apos;y&apos;&lt;/script&gt;',
    );
  });

  it('escapes an ampersand that already looks like an entity, so the text survives as typed', () => {
    expect(escapeXml('&amp; &#60;')).toBe('&amp;amp; &amp;#60;');
  });

  it('drops characters XML 1.0 forbids and keeps tabs, newlines and Norwegian letters', () => {
    expect(escapeXml('a\u0000b\u0007c\td\ne æøå 😀 \uD800x')).toBe('abc\td\ne æøå 😀 x');
  });

  it('leaves plain text unchanged', () => {
    expect(escapeXml('Fall 28.11.2026 kl. 03:12')).toBe('Fall 28.11.2026 kl. 03:12');
  });
});

describe('narrativeDiv', () => {
  it('is an XHTML div with one escaped paragraph per line', () => {
    expect(narrativeDiv(['Fall <b>', 'A & B'])).toBe(
      '<div xmlns="http://www.w3.org/1999/xhtml"><p>Fall &lt;b&gt;</p><p>A &amp; B</p></div>',
    );
  });
});
