/**
 * XML escaping and the FHIR narrative `div`. Vendor text reaches the narrative unchanged
 * (`<script>`, `&`, quotes), so every piece of text is escaped before it becomes XHTML.
 */

const xmlEntities: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * Characters XML 1.0 forbids (C0 controls except tab, newline, carriage return; lone
 * surrogates; U+FFFE/U+FFFF): a FHIR validator rejects a div that contains them.
 */
const forbiddenInXml =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as XML character data or attribute value: markup escaped, forbidden characters dropped. */
export function escapeXml(text: string): string {
  return text.replace(forbiddenInXml, '').replace(/[&<>"']/g, (char) => xmlEntities[char] ?? char);
}

/** A FHIR narrative div: one paragraph per line, every line escaped. */
export function narrativeDiv(lines: readonly string[]): string {
  const paragraphs = lines.map((line) => `<p>${escapeXml(line)}</p>`).join('');
  return `<div xmlns="http://www.w3.org/1999/xhtml">${paragraphs}</div>`;
}
