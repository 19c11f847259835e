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

function importMs(file: string, runs = 5): number {
  const script = `const t=performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now()-t);`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, TABLE_NAME: 'bench', AWS_REGION: 'eu-west-1', POWERTOOLS_LOG_LEVEL: 'SILENT' },
      encoding: 'utf8',
    });
    times.push(Number(out.trim()));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outdir = mkdtempSync(join(tmpdir(), 'breachclock-bundles-'));
  const rows: Record<string, unknown>[] = [];
  let over = false;
  for (const name of HANDLERS) {
    const { outfile, bytes, byPackage } = await bundleHandler(name, outdir);
    const ms = importMs(outfile);
    over ||= bytes > BUDGET_BYTES;
    rows.push({ handler: name, kB: Math.round(bytes / 1000), budgetKB: BUDGET_BYTES / 1000, importMsMedian: Math.round(ms) });
    console.log(`\n${name}: ${Math.round(bytes / 1000)} kB, import ${ms.toFixed(0)} ms (median of 5 fresh processes)`);
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
}
