// Bundled in place of pako in every Lambda bundle (lib/bundling.ts says why; only the letter renderer's reaches it,
// through pdf-lib). pako's deflate is pako's own, so every PDF stream pdf-lib compresses is byte for byte what
// it was; inflating, which only @pdf-lib/standard-fonts does (its font metrics and encodings ship as deflated
// JSON, the encodings inflated at import), is Node's zlib: decompression has one right answer, and native code
// gives it without first compiling and running pako's inflater in JavaScript at every cold start.
import { deflate, deflateRaw, gzip, Deflate } from '../node_modules/pako/lib/deflate.js'; // (a path: the alias would take 'pako/…' too)
import { unzipSync } from 'node:zlib';

/** pako.inflate(data) without options (a zlib or gzip stream, detected as pako does): the bytes, as a Uint8Array. */
export function inflate(input, options) {
  if (options !== undefined) throw new Error('pako.inflate with options is not bundled (lib/pako-native-inflate.mjs)');
  const out = unzipSync(input);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

export { deflate, deflateRaw, gzip, Deflate };
export default { deflate, deflateRaw, gzip, Deflate, inflate };
