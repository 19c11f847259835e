/**
 * Bundles each Lambda handler exactly as the CDK stack does (esbuild, ESM, minified, AWS SDK bundled),
 * prints its size, the biggest inputs, and the time to import it in a fresh Node process (a proxy for the
 * init phase of a cold start). Fails when a bundle exceeds the budget.
 *
 *   npm run bench:bundle            # all handlers
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

export const HANDLERS = ['ingest-alert', 'ingest-event', 'api', 'slack', 'sweep-due-timers', 'dispatch-outbox', 'plan-notice-sends', 'send-notice-chunk', 'ses-events', 'ingest-batch'] as const;
export const BUDGET_BYTES = 1_000_000;
export const AIM_BYTES = 500_000;
/** Target (issue 14.6): what a bundle adds to a cold start's process time over an empty bundle's. */
export const COLD_START_EXTRA_MS = 120;
const BANNER = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

export async function bundleHandler(name: string, outdir: string) {
  const outfile = join(outdir, `${name}.mjs`);
  const result = await build({
    entryPoints: [`lambdas/handlers/${name}.handler.ts`],
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    minify: true,
    mainFields: ['module', 'main'],
    banner: { js: BANNER },
    outfile,
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs)[0]!;
  const byPackage = new Map<string, number>();
  for (const [path, input] of Object.entries(output.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const key = match ? match[1]! : 'breachclock (own code)';
    byPackage.set(key, (byPackage.get(key) ?? 0) + input.bytesInOutput);
  }
  return { outfile, bytes: output.bytes, byPackage: [...byPackage.entries()].sort((a, b) => b[1] - a[1]) };
}

/** Median over fresh Node processes of: the import alone (in-process), and the whole process (start, import, exit). */
function importMs(file: string, runs = 7): { importMs: number; processMs: number } {
  const script = `const t=performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now()-t);`;
  const imports: number[] = [];
  const processes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, TABLE_NAME: 'bench', AWS_REGION: 'eu-west-1', POWERTOOLS_LOG_LEVEL: 'SILENT' },
      encoding: 'utf8',
    });
    processes.push(performance.now() - started);
    imports.push(Number(out.trim()));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { importMs: median(imports), processMs: median(processes) };
}

/** The yardstick: an empty handler bundled the same way, measured in the same run. */
async function emptyBundle(outdir: string): Promise<string> {
  const entry = join(outdir, 'empty.handler.ts');
  writeFileSync(entry, 'export const handler = async () => ({ statusCode: 200 });\n');
  const outfile = join(outdir, 'empty.mjs');
  await build({ entryPoints: [entry], bundle: true, platform: 'node', target: 'node24', format: 'esm', minify: true, banner: { js: BANNER }, outfile, logLevel: 'silent' });
  return outfile;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outdir = mkdtempSync(join(tmpdir(), 'breachclock-bundles-'));
  const rows: Record<string, unknown>[] = [];
  let over = false;
  let slow = false;
  // Interleave the yardstick with the handlers: the machine's noise hits both.
  const empty = await emptyBundle(outdir);
  const emptyRuns: number[] = [];
  for (const name of HANDLERS) {
    const { outfile, bytes, byPackage } = await bundleHandler(name, outdir);
    const baseline = importMs(empty).processMs;
    emptyRuns.push(baseline);
    const ms = importMs(outfile);
    const extra = ms.processMs - baseline;
    over ||= bytes > BUDGET_BYTES;
    slow ||= extra > COLD_START_EXTRA_MS;
    rows.push({ handler: name, kB: Math.round(bytes / 1000), importMs: Math.round(ms.importMs), processMs: Math.round(ms.processMs), emptyMs: Math.round(baseline), extraMs: Math.round(extra), ratio: Number((ms.processMs / baseline).toFixed(2)) });
    console.log(`\n${name}: ${Math.round(bytes / 1000)} kB, import ${ms.importMs.toFixed(0)} ms; process ${ms.processMs.toFixed(0)} ms vs an empty bundle's ${baseline.toFixed(0)} ms: +${extra.toFixed(0)} ms (${(ms.processMs / baseline).toFixed(2)}×; medians of 7 fresh processes)`);
    for (const [pkg, size] of byPackage.slice(0, 8)) console.log(`  ${String(Math.round(size / 1000)).padStart(5)} kB  ${pkg}`);
  }
  console.log('');
  console.table(rows);
  writeFileSync(join(outdir, 'summary.json'), JSON.stringify(rows, null, 2));
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
