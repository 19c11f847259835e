/**
 * Where a handler's cold-start import time goes (issue 14.6; docs/benchmarks.md).
 *
 *   npm run bench:import-profile                  # ingest-alert
 *   npm run bench:import-profile -- api
 *
 * Bundles the handler as bench:bundle does but unminified (esbuild marks each input with a `// path` line),
 * imports it in 5 fresh Node processes under the V8 sampling profiler, and prints the sampled CPU time of
 * the import two ways: by what ran (a package, our own module, or Node itself), and by which of our modules'
 * top-level code started it (what deferring that module's set-up would save).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from '../lib/bundling.js';
import { bundleEntry } from './bundle-size.js';

interface ProfileNode { id: number; callFrame: { url: string; lineNumber: number; functionName: string }; children?: number[] }

const name = process.argv[2] ?? 'ingest-alert';
const RUNS = 5;
const dir = mkdtempSync(join(tmpdir(), 'bc-import-profile-'));
// The bundle is a directory (code splitting, lib/bundling.ts): index.mjs and its chunks.
const { outfile } = await bundleEntry(`${PROJECT_ROOT}lambdas/handlers/${name}.handler.ts`, join(dir, `${name}.mjs`), { minify: false });
const bundleDir = dirname(outfile);
// Each line of a bundle file belongs to the input named by the last `// path` marker above it.
const inputsOf = new Map<string, string[]>();
for (const file of readdirSync(bundleDir, { recursive: true }) as string[]) {
  if (!file.endsWith('.mjs')) continue;
  const inputOf: string[] = [];
  let current = '(esbuild runtime)';
  for (const line of readFileSync(join(bundleDir, file), 'utf8').split('\n')) {
    // (`../main/node_modules/…` when node_modules is a link to another checkout's.)
    const marker = /^\/\/ (?:\.\.\/[\w.-]+\/)?((?:node_modules|lambdas)\/\S+)$/.exec(line)?.[1];
    if (marker) current = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(marker)?.[1] ?? marker;
    inputOf.push(current);
  }
  inputsOf.set(`file://${join(bundleDir, file)}`, inputOf);
}
const profiles = join(dir, 'profiles');
for (let run = 0; run < RUNS; run++) {
  execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', profiles, '--cpu-prof-interval', '50', '--input-type=module', '-e', `await import(${JSON.stringify(outfile)})`]);
}
const byWhat = new Map<string, number>();
const byOurModule = new Map<string, number>();
const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms / RUNS);
for (const file of readdirSync(profiles)) {
  const profile = JSON.parse(readFileSync(join(profiles, file), 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const inBundle = (frame: ProfileNode['callFrame']) => inputsOf.has(frame.url);
  const inputAt = (frame: ProfileNode['callFrame']) => inputsOf.get(frame.url)?.[frame.lineNumber];
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const frame = nodes.get(id)!.callFrame;
    add(byWhat, inBundle(frame) ? (inputAt(frame) ?? '?') : frame.url ? `(node) ${frame.url.split('/').at(-1)}` : `(${frame.functionName || 'vm'})`, ms);
    let ours = '(no module of ours on the stack)';
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const caller = nodes.get(at)!.callFrame;
      if (inBundle(caller) && inputAt(caller)?.startsWith('lambdas/')) {
        ours = inputAt(caller)!;
        break;
      }
    }
    add(byOurModule, ours, ms);
  });
}
rmSync(dir, { recursive: true, force: true });
const top = (map: Map<string, number>, n: number) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([key, ms]) => `  ${ms.toFixed(1).padStart(7)} ms  ${key}`).join('\n');
console.log(`${name}: sampled CPU of importing its bundle, mean of ${RUNS} fresh processes (Node's own start included)`);
console.log(`by what ran:\n${top(byWhat, 15)}`);
console.log(`by which of our modules' top-level code started it:\n${top(byOurModule, 8)}`);
