// How the HTTP view previews a decoded body: an image, JSON pretty-printed, text, or a hex dump of
// its start for anything else.
import { hexDumpText } from './stream-format';

export type BodyPreview =
  { kind: 'image'; src: string } | { kind: 'json' | 'text' | 'binary'; text: string; truncated: boolean };

/** Characters of text shown at most (the whole body is in Export Objects). */
const MAX_TEXT = 256 * 1024;
const MAX_BINARY = 4096;

const TEXTUAL = /^(text\/|application\/(json|.*\+json|javascript|xml|.*\+xml|x-www-form-urlencoded))/i;

export function previewBody(contentType: string, base64: string, bytes: Uint8Array): BodyPreview {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  // data: images only for raster and SVG types a browser shows without scripts in an <img>.
  if (/^image\/(png|jpeg|gif|webp|bmp|x-icon|vnd\.microsoft\.icon|svg\+xml|avif)$/.test(type))
    return { kind: 'image', src: `data:${type};base64,${base64}` };
  const looksText = TEXTUAL.test(type) || (type === '' && isMostlyText(bytes));
  if (!looksText) {
    return {
      kind: 'binary',
      text: hexDumpText(bytes.subarray(0, MAX_BINARY), 0, false),
      truncated: bytes.length > MAX_BINARY,
    };
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (/json/.test(type)) {
    try {
      return { kind: 'json', text: JSON.stringify(JSON.parse(text), null, 2), truncated: false };
    } catch {
      // Not valid JSON after all: shown as text.
    }
  }
  return { kind: 'text', text: text.slice(0, MAX_TEXT), truncated: text.length > MAX_TEXT };
}

function isMostlyText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 512);
  let printable = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if ((b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13 || b >= 0x80) printable++;
  }
  return n > 0 && printable / n > 0.95;
}
