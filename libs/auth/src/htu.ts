/**
 * The form of a URL that a DPoP proof's `htu` is compared in (RFC 9449 §4.3 check 9): the
 * URL without query and fragment, normalised per RFC 3986 §6.2.2–6.2.3 — scheme and host
 * lower case, the default port dropped, dot segments removed, an empty path as `/`,
 * percent-encodings in upper case and unreserved characters decoded. Undefined for
 * anything that is not an absolute http(s) URL.
 */
export function normalizeHtu(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  // WHATWG URL already lower-cases scheme and host, drops the default port, removes dot
  // segments and turns an empty path into "/"; userinfo, query and fragment are left out.
  return `${url.protocol}//${url.host}${normalizePercentEncoding(url.pathname)}`;
}

function normalizePercentEncoding(path: string): string {
  return path.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return /[A-Za-z0-9\-._~]/.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}
