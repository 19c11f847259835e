import { build } from 'esbuild';
import { BUNDLE_BANNER, bundleAliases, PROJECT_ROOT } from '../lib/bundling.js';
const name = process.argv[2] ?? 'ingest-alert';
const r = await build({ entryPoints: [`${PROJECT_ROOT}lambdas/handlers/${name}.handler.ts`], bundle: true, platform: 'node', target: 'node24', format: 'esm', minify: true, mainFields: ['module','main'], banner: { js: BUNDLE_BANNER }, alias: bundleAliases(), absWorkingDir: PROJECT_ROOT, nodePaths: [PROJECT_ROOT + 'node_modules'], write: false, outfile: '/tmp/x.mjs', metafile: true, logLevel: 'silent' });
const inputs = r.metafile.inputs;
// who imports X: reverse graph
const rev = new Map<string, string[]>();
for (const [file, info] of Object.entries(inputs)) for (const imp of info.imports) { if (!rev.has(imp.path)) rev.set(imp.path, []); rev.get(imp.path)!.push(file); }
const target = Object.keys(inputs).find((f) => f.includes(process.argv[3] ?? 'packs/index'))!;
// BFS path from entry to target
const entry = Object.keys(inputs).find((f) => f.includes(`handlers/${name}.handler`))!;
const prev = new Map<string, string>(); const q = [entry]; prev.set(entry, '');
while (q.length) { const f = q.shift()!; for (const imp of inputs[f]?.imports ?? []) if (!prev.has(imp.path)) { prev.set(imp.path, f); q.push(imp.path); } }
const path: string[] = []; for (let f = target; f; f = prev.get(f)!) path.unshift(f);
console.log(path.join('\n  -> '));
console.log('importers of target:', rev.get(target));
const out = Object.values(r.metafile.outputs)[0]!;
const own = Object.entries(out.inputs).filter(([p]) => !p.includes('node_modules')).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput).slice(0, 15);
for (const [p, i] of own) console.log(i.bytesInOutput, p);
