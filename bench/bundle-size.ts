/**
 * Bundles each Lambda handler exactly as the CDK stack does (esbuild, ESM, minified, AWS SDK bundled),
 * prints its size, the biggest inputs, and the time to import it in a fresh Node process (a proxy for the
 * init phase of a cold start). Fails when a bundle exceeds the budget.
 *
 *   npm run bench:bundle                  # all handlers, 9 rounds
 *   npm run bench:bundle -- --runs 15
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { BUNDLE_ENTRY_FILE, copyBundleAssets, lambdaBuildOptions, PROJECT_ROOT } from '../lib/bundling.js';

export const HANDLERS = ['ingest-alert', 'ingest-event', 'api', 'slack', 'sweep-due-timers', 'dispatch-outbox', 'plan-notice-sends', 'send-notice-chunk', 'ses-events', 'ingest-batch', 'render-notice-letter'] as const;
/**
 * 1.3 MB since the jurisdiction packs (ADR 0015: every state's cited law is in each function that computes clocks),
 * of what a cold start loads (with code splitting, the chunks loaded on first use apart: ADR 0018, session 11).
 */
export const BUDGET_BYTES = 1_300_000;
export const AIM_BYTES = 500_000;
/** Target (issue 14.6): what a bundle adds to a cold start's process time over an empty bundle's. */
export const COLD_START_EXTRA_MS = 120;

/**
 * Bundles one entry exactly as the CDK stack does (lib/bundling.ts: code splitting, so the bundle is a
 * directory): `outfile` names it, `<outfile without .mjs>/index.mjs` is its entry, returned as `outfile`.
 * `bytes` and `byPackage` count what a cold start loads (the entry and the chunks it imports statically);
 * `totalBytes` and `byPackageAll` every file, the chunks loaded on first use included. `shims: false` leaves
 * Node's built-ins as ESM imports (as before issue 14.6); `minify: false` keeps esbuild's `// path` markers
 * (bench:import-profile reads them); `plugins` only for tests' probes. `inputs`: every source file with code in the
 * bundle (esbuild's paths, chunks included).
 */
export async function bundleEntry(entry: string, outfile: string, { shims = true, minify = true, plugins = [] as Plugin[] } = {}) {
  const dir = outfile.replace(/\.mjs$/, '');
  const options = lambdaBuildOptions(entry, dir, { minify });
  const result = await build({ ...options, ...(shims ? {} : { alias: {} }), metafile: true, logLevel: 'silent', plugins });
  // The data files it reads on first use (jurisdiction packs' long parts): beside it, as in the Lambda asset.
  const assets = copyBundleAssets(result.metafile, dir);
  const outputs = result.metafile.outputs;
  // (Each dynamically imported module's chunk names its module as its entry point too: the entry is index.mjs.)
  const entryKey = Object.keys(outputs).find((key) => key.endsWith(`/${BUNDLE_ENTRY_FILE}`))!;
  // What a cold start loads: the entry and, transitively, what it imports statically.
  const cold = new Set<string>([entryKey]);
  for (const key of cold) for (const i of outputs[key]!.imports) if (i.kind === 'import-statement' && !i.external) cold.add(i.path);
  const tally = (keys: Iterable<string>) => {
    const byPackage = new Map<string, number>();
    for (const key of keys) {
      for (const [path, input] of Object.entries(outputs[key]!.inputs)) {
        const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
        const name = match ? match[1]! : 'breachclock (own code)';
        byPackage.set(name, (byPackage.get(name) ?? 0) + input.bytesInOutput);
      }
    }
    return [...byPackage.entries()].sort((a, b) => b[1] - a[1]);
  };
  const sum = (keys: Iterable<string>) => [...keys].reduce((total, key) => total + outputs[key]!.bytes, 0);
  const js = Object.keys(outputs).filter((key) => !key.endsWith('.map'));
  // What the bundle still imports at run time (esbuild's own account, not a search of the text: data in a
  // string can read like an import).
  const externalImports = [...new Set(js.flatMap((key) => outputs[key]!.imports.filter((i) => i.external).map((i) => i.path)))];
  return {
    outfile: join(dir, BUNDLE_ENTRY_FILE),
    bytes: sum(cold),
    totalBytes: sum(js),
    files: js.length,
    byPackage: tally(cold),
    byPackageAll: tally(js),
    externalImports,
    inputs: [...new Set(js.flatMap((key) => Object.keys(outputs[key]!.inputs)))],
    assets,
  };
}

export function bundleHandler(name: string, outdir: string, options: { shims?: boolean } = {}) {
  const suffix = options.shims === false ? '.no-shims' : '';
  return bundleEntry(`${PROJECT_ROOT}lambdas/handlers/${name}.handler.ts`, join(outdir, `${name}${suffix}.mjs`), options);
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * One fresh Node process: the import alone (timed inside), the CPU time the import took (all the process's
 * threads: less sensitive than wall time to a machine busy with other work), and the whole process (start,
 * import, exit).
 */
export function importOnce(file: string): { importMs: number; importCpuMs: number; processMs: number } {
  const script = `const c=process.cpuUsage(); const t=performance.now(); await import(${JSON.stringify(file)}); const u=process.cpuUsage(c); console.log(performance.now()-t, (u.user+u.system)/1000);`;
  const started = performance.now();
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, TABLE_NAME: 'bench', AWS_REGION: 'eu-west-1', POWERTOOLS_LOG_LEVEL: 'SILENT' },
    encoding: 'utf8',
  });
  const [importMs, importCpuMs] = out.trim().split(' ').map(Number);
  return { processMs: performance.now() - started, importMs: importMs!, importCpuMs: importCpuMs! };
}

/** Medians over `runs` rounds; each round imports every file once, in turn, so the machine's noise hits all alike. */
function interleaved(files: Record<string, string>, runs: number): Record<string, { importMs: number; processMs: number }> {
  const samples: Record<string, { importMs: number[]; processMs: number[] }> = {};
  for (let round = 0; round < runs; round++) {
    for (const [key, file] of Object.entries(files)) {
      const { importMs, processMs } = importOnce(file);
      (samples[key] ??= { importMs: [], processMs: [] }).importMs.push(importMs);
      samples[key].processMs.push(processMs);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([key, s]) => [key, { importMs: median(s.importMs), processMs: median(s.processMs) }]));
}

/**
 * The yardsticks, bundled the same way: an empty handler, and one that only imports and builds a DynamoDB
 * client (every function needs one: the floor any handler of ours stands on while the SDK is bundled).
 */
export async function yardsticks(outdir: string): Promise<{ empty: string; dynamoClient: string }> {
  const empty = join(outdir, 'empty.handler.ts');
  writeFileSync(empty, 'export const handler = async () => ({ statusCode: 200 });\n');
  const client = join(outdir, 'dynamo-client.handler.ts');
  writeFileSync(
    client,
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nconst client = new DynamoDBClient({});\nexport const handler = async () => ({ statusCode: 200, region: typeof client });\n",
  );
  return { empty: (await bundleEntry(empty, join(outdir, 'empty.mjs'))).outfile, dynamoClient: (await bundleEntry(client, join(outdir, 'dynamo-client.mjs'))).outfile };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = Number(parseArgs({ options: { runs: { type: 'string', default: '9' } } }).values.runs);
  const outdir = mkdtempSync(join(tmpdir(), 'breachclock-bundles-'));
  const rows: Record<string, unknown>[] = [];
  let over = false;
  let slow = false;
  const { empty, dynamoClient } = await yardsticks(outdir);
  for (const name of HANDLERS) {
    const { outfile, bytes, totalBytes, byPackage } = await bundleHandler(name, outdir);
    const before = await bundleHandler(name, outdir, { shims: false });
    // Both yardsticks, the bundle and the bundle as it was before the shims, in turn: noise hits all four.
    const ms = interleaved({ empty, dynamoClient, bundle: outfile, noShims: before.outfile }, runs);
    const baseline = ms.empty!.processMs;
    const extra = ms.bundle!.processMs - baseline;
    const floor = ms.dynamoClient!.processMs - baseline;
    over ||= bytes > BUDGET_BYTES;
    slow ||= extra > COLD_START_EXTRA_MS;
    rows.push({
      handler: name,
      kB: Math.round(bytes / 1000),
      totalKB: Math.round(totalBytes / 1000),
      importMs: Math.round(ms.bundle!.importMs),
      processMs: Math.round(ms.bundle!.processMs),
      emptyMs: Math.round(baseline),
      extraMs: Math.round(extra),
      extraNoShimsMs: Math.round(ms.noShims!.processMs - baseline),
      dynamoClientMs: Math.round(floor),
      overClientMs: Math.round(extra - floor),
      ratio: Number((ms.bundle!.processMs / baseline).toFixed(2)),
    });
    console.log(
      `\n${name}: ${Math.round(bytes / 1000)} kB at a cold start (${Math.round(totalBytes / 1000)} kB in all), import ${ms.bundle!.importMs.toFixed(0)} ms; process ${ms.bundle!.processMs.toFixed(0)} ms vs an empty bundle's ${baseline.toFixed(0)} ms: ` +
        `+${extra.toFixed(0)} ms (${(ms.bundle!.processMs / baseline).toFixed(2)}×); without the built-in shims +${(ms.noShims!.processMs - baseline).toFixed(0)} ms; ` +
        `a DynamoDB client alone +${floor.toFixed(0)} ms (medians of ${runs} fresh processes each)`,
    );
    for (const [pkg, size] of byPackage.slice(0, 8)) console.log(`  ${String(Math.round(size / 1000)).padStart(5)} kB  ${pkg}`);
  }
  console.log('');
  console.table(rows);
  rmSync(outdir, { recursive: true, force: true });
  if (over) {
    console.error(`A bundle is over the ${BUDGET_BYTES / 1000} kB budget.`);
    process.exit(1);
  }
  if (slow) {
    console.error(`A bundle adds more than ${COLD_START_EXTRA_MS} ms to a cold start (process time over an empty bundle's).`);
    process.exit(1);
  }
}
