/**
 * How every Lambda bundle is built, in one place: the CDK functions (lib/breachclock-function.ts), the bundle
 * benchmark and the bundle tests use these same options.
 */

import { copyFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions, Metafile } from 'esbuild';

/** The project root: esbuild's working directory, against which the aliases below resolve. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** ESM bundles still hold CommonJS dependencies; they get a real `require`. */
export const BUNDLE_BANNER = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

/**
 * Node's built-in modules the bundles use, each taken through a CommonJS shim (lib/node-builtins/) instead of
 * an ESM `import`.
 *
 * Why: an ESM import of a built-in builds its module namespace from every export, and reading an export runs
 * its getter. `node:http`'s `WebSocket`, `CloseEvent` and `MessageEvent` getters load undici (Node's whole
 * fetch stack); `node:process`'s load stdin, stdout and stderr; `node:crypto`'s load Web Crypto. And esbuild
 * hoists every ESM import of an external module to the top of the bundle, so a built-in that only a lazily
 * loaded part uses (the SDK's credential providers: `node:child_process`) is loaded at every cold start
 * anyway. Through the shim, `process.getBuiltinModule` returns the module object without reading its
 * exports, and the require runs where esbuild's lazy module initialiser runs.
 * Measured in docs/benchmarks.md (Lambda bundles); `test/cdk/bundle-size.test.ts` fails if a bundle imports a
 * built-in any other way, so a newly used built-in must be added here.
 */
export const SHIMMED_BUILTINS = [
  'async_hooks',
  'buffer',
  'child_process',
  'console',
  'crypto',
  'events',
  'fs',
  'fs/promises',
  'http',
  'https',
  'os',
  'path',
  'process',
  'stream',
  'stream/promises',
  'timers',
  'util',
  'zlib',
] as const;

/** esbuild `alias` entries (paths relative to the project root, esbuild's working directory). */
export function builtinAliases(): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const name of SHIMMED_BUILTINS) {
    const shim = `./lib/node-builtins/${name.replace('/', '-')}.cjs`;
    aliases[`node:${name}`] = shim;
    aliases[name] = shim;
  }
  return aliases;
}

/**
 * Every esbuild alias of a Lambda bundle: the built-in shims above, and the SDK's default credential chain
 * replaced by its first link, the environment (lib/lambda-credentials.mjs). In Lambda the execution role's
 * credentials are always in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN),
 * which the default chain reads first; the rest of the chain (profiles, SSO, web identity, container and
 * instance metadata, and the STS/SSO clients behind them) is dead weight at every cold start: measured in
 * docs/benchmarks.md (Lambda bundles). The local stack and the tests run the sources, with the whole chain.
 *
 * And pako (pdf-lib's zlib, only in the letter renderer) with its inflater replaced by Node's zlib
 * (lib/pako-native-inflate.mjs): @pdf-lib/standard-fonts inflates its character encodings at import and a font's
 * metrics each time a letter embeds the font, and pako's inflater is JavaScript that a cold start first compiles
 * (ADR 0018). Deflating stays pako's, so the PDFs are byte for byte the same. And @pdf-lib/upng (pdf-lib's PNG
 * decoder) evaluated on first use (lib/upng-on-first-use.mjs): its module body builds its inflater's tables, and a
 * letter embeds no PNG. The tests run the sources, with pako and UPNG as published.
 */
export function bundleAliases(): Record<string, string> {
  return { ...builtinAliases(), '@aws-sdk/credential-provider-node': './lib/lambda-credentials.mjs', pako: './lib/pako-native-inflate.mjs', '@pdf-lib/upng': './lib/upng-on-first-use.mjs' };
}

/** The file each function's bundle starts from, in its asset directory (the function's handler is `index.handler`). */
export const BUNDLE_ENTRY_FILE = 'index.mjs';

/**
 * The esbuild options of a Lambda bundle (ADR 0018, session 11): ESM, minified, the AWS SDK bundled in, with
 * code splitting. A module the handler imports only dynamically (`await import(...)`: the trail anchoring's S3
 * and KMS clients, the API's list store, re2js) is written to its own file under `chunks/` beside `index.mjs`,
 * and Node compiles it only when the import first runs, not at every cold start. What the entry imports
 * statically (the entry and the chunks it imports) is what a cold start loads.
 */
export function lambdaBuildOptions(entry: string, outdir: string, { minify = true, sourcemap = false }: { minify?: boolean; sourcemap?: boolean } = {}): BuildOptions {
  return {
    entryPoints: { index: entry },
    bundle: true,
    splitting: true,
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'node',
    target: 'node24',
    format: 'esm',
    minify,
    ...(sourcemap ? { sourcemap: true, sourcesContent: false } : {}),
    mainFields: ['module', 'main'],
    banner: { js: BUNDLE_BANNER },
    alias: bundleAliases(),
    absWorkingDir: PROJECT_ROOT,
    nodePaths: [join(PROJECT_ROOT, 'node_modules')],
    logLevel: 'warning',
    // copyBundleAssets reads it: which data files the bundle needs beside it.
    metafile: true,
  };
}

/**
 * Data files a bundle reads at run time instead of compiling at every cold start (ADR 0018, session 12): each is
 * copied to the bundle's root, beside index.mjs, when the module that reads it is in the bundle. The researched
 * jurisdiction packs' long parts (obligations, assumptions, exceptions: 240 kB) are read the first time a pack
 * that applies is computed (lambdas/domain/regimes/packs/jurisdictions-details-file.ts).
 */
export const BUNDLE_ASSETS: readonly { readonly reader: string; readonly file: string }[] = [
  { reader: 'lambdas/domain/regimes/packs/jurisdictions-details-file.ts', file: 'lambdas/domain/regimes/packs/jurisdictions.details.json' },
];

/** Copies the assets the built bundle reads (by its esbuild metafile) into its directory; returns their names. */
export function copyBundleAssets(metafile: Metafile, outdir: string): string[] {
  const copied: string[] = [];
  for (const asset of BUNDLE_ASSETS) {
    if (!metafile.inputs[asset.reader]) continue;
    copyFileSync(join(PROJECT_ROOT, asset.file), join(outdir, basename(asset.file)));
    copied.push(basename(asset.file));
  }
  return copied;
}
