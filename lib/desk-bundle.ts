/**
 * How the desk (lambdas/dashboard) is built, in one place: TypeScript modules bundled by esbuild into one
 * script, /dashboard/app.js, served beside index.html and app.css. The local stack builds it in memory when it
 * starts (tests included), the CDK into the dashboard function's asset at synth (ADR 0017); a test checks that
 * both give the same bytes.
 */

import { readFileSync } from 'node:fs';
import { build, type BuildOptions } from 'esbuild';
import { PROJECT_ROOT } from './bundling.js';

/** The desk's directory in the project: index.html, app.css, src/ (the modules) and its tsconfig. */
export const DESK_DIRECTORY = 'lambdas/dashboard';

/** What a browser is sent: the page, its style and the bundled script. */
export const DESK_FILES = ['index.html', 'app.css', 'app.js'] as const;
export type DeskFile = (typeof DESK_FILES)[number];

const DESK = {
  entry: `${DESK_DIRECTORY}/src/main.ts`,
  tsconfig: `${DESK_DIRECTORY}/tsconfig.json`,
  format: 'iife',
  platform: 'browser',
  /** Evergreen browsers of the last two years (optional chaining, class fields, top-level features used as written). */
  target: ['chrome120', 'firefox121', 'safari17', 'edge120'],
} as const;

/** esbuild's options for the JS API (the local stack). */
export function deskBuildOptions(root = PROJECT_ROOT): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: [DESK.entry],
    tsconfig: DESK.tsconfig,
    bundle: true,
    minify: true,
    format: DESK.format,
    platform: DESK.platform,
    target: [...DESK.target],
    logLevel: 'warning',
  };
}

/** The same build as esbuild's command line (the CDK's bundling hook runs shell commands), writing `outfile`. */
export function deskBuildArgs(root: string, outfile: string): string[] {
  const path = (relative: string) => `${root.replace(/\/$/, '')}/${relative}`;
  return [path(DESK.entry), `--tsconfig=${path(DESK.tsconfig)}`, '--bundle', '--minify', `--format=${DESK.format}`, `--platform=${DESK.platform}`, `--target=${DESK.target.join(',')}`, '--log-level=warning', `--outfile=${outfile}`];
}

/** The shell commands that put the desk's files into `outputDir/dashboard` (a Lambda asset), from the project at `inputDir`. */
export function deskAssetCommands(inputDir: string, outputDir: string): string[] {
  const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
  const target = `${outputDir}/dashboard`;
  return [
    `mkdir -p ${quote(target)}`,
    [`${inputDir}/node_modules/.bin/esbuild`, ...deskBuildArgs(inputDir, `${target}/app.js`)].map(quote).join(' '),
    `cp ${quote(`${inputDir}/${DESK_DIRECTORY}/index.html`)} ${quote(`${inputDir}/${DESK_DIRECTORY}/app.css`)} ${quote(target)}`,
  ];
}

/** The desk's files, built now (in memory). */
export async function buildDesk(root = PROJECT_ROOT): Promise<Readonly<Record<DeskFile, string>>> {
  const result = await build({ ...deskBuildOptions(root), write: false, outfile: 'app.js' });
  const script = result.outputFiles[0];
  if (!script) throw new Error('esbuild wrote no desk bundle');
  const read = (file: string) => readFileSync(`${root.replace(/\/$/, '')}/${DESK_DIRECTORY}/${file}`, 'utf8');
  return { 'index.html': read('index.html'), 'app.css': read('app.css'), 'app.js': script.text };
}
