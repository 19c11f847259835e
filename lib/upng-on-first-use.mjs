// Bundled in place of @pdf-lib/upng in every Lambda bundle (lib/bundling.ts says why; only the letter renderer's
// reaches it, through pdf-lib, which decodes a PNG with it when a document embeds one: a letter never does).
// The same UPNG, evaluated the first time one of its members is read instead of at every cold start: its module
// body builds its inflater's tables (a 32,768-entry loop and some 400 kB of typed arrays) when it is evaluated.
// (A path, not 'pako/…'-style: the alias would take '@pdf-lib/upng/…' too.)
let upng;
const load = () => (upng ??= require('../node_modules/@pdf-lib/upng/cjs/UPNG.js').default);

export default new Proxy(
  {},
  {
    get: (_target, key) => load()[key],
    has: (_target, key) => key in load(),
  },
);
