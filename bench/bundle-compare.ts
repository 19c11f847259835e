/**
 * Cold starts before and after a change, in one run (issue 27.3, ADR 0018). Bundles every handler from this
 * tree and from another checkout of the project (each with its own bundling code), and the DynamoDB-client
 * yardstick, then imports them all in turn, each in a fresh Node process, for --runs rounds: the machine's
 * noise hits every file alike. Prints medians, and each handler over the client alone (as bench:bundle's
 * `overClientMs`: process time, and the import alone). `kB` is what a cold start loads, `assetKB` the whole
 * bundle (with code splitting the chunks loaded on first use are apart).
 *
 *   git archive <commit> | tar -x -C /tmp/before && ln -s "$PWD/node_modules" /tmp/before/node_modules
 *   npm run bench:bundle-compare -- --before /tmp/before              # every handler, 11 rounds
 *   npm run bench:bundle-compare -- --before /tmp/before --runs 15 api ingest-alert
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleHandler, HANDLERS, importOnce, median, yardsticks } from './bundle-size.js';

const { values, positionals } = parseArgs({ options: { before: { type: 'string' }, runs: { type: 'string', default: '11' } }, allowPositionals: true });
if (!values.before) throw new Error('--before <a checkout of the commit to compare against> is required');
const runs = Number(values.runs);
const names = positionals.length ? positionals : [...HANDLERS];
const beforeBench = (await import(join(resolve(values.before), 'bench/bundle-size.ts'))) as typeof import('./bundle-size.js');

const outdir = mkdtempSync(join(tmpdir(), 'breachclock-compare-'));
const files: Record<string, string> = {};
const bytes: Record<string, number> = {};
// With code splitting (session 11) the bytes a cold start loads, and the asset's in all.
const totalBytes: Record<string, number> = {};
const { dynamoClient } = await yardsticks(outdir);
files.client = dynamoClient;
for (const name of names) {
  const before = await beforeBench.bundleHandler(name, join(outdir, 'before'));
  const after = await bundleHandler(name, join(outdir, 'after'));
  files[`${name} before`] = before.outfile;
  files[`${name} after`] = after.outfile;
  bytes[`${name} before`] = before.bytes;
  bytes[`${name} after`] = after.bytes;
  totalBytes[`${name} before`] = (before as { totalBytes?: number }).totalBytes ?? before.bytes;
  totalBytes[`${name} after`] = after.totalBytes;
}
const samples: Record<string, { importMs: number[]; importCpuMs: number[]; processMs: number[] }> = {};
for (let round = 0; round < runs; round++) {
  for (const [key, file] of Object.entries(files)) {
    const { importMs, importCpuMs, processMs } = importOnce(file);
    const s = (samples[key] ??= { importMs: [], importCpuMs: [], processMs: [] });
    s.importMs.push(importMs);
    s.importCpuMs.push(importCpuMs);
    s.processMs.push(processMs);
  }
}
rmSync(outdir, { recursive: true, force: true });
const m = (key: string) => ({ importMs: median(samples[key]!.importMs), importCpuMs: median(samples[key]!.importCpuMs), processMs: median(samples[key]!.processMs) });
const client = m('client');
console.log(
  `DynamoDB client alone: import ${client.importMs.toFixed(0)} ms (CPU ${client.importCpuMs.toFixed(0)} ms), process ${client.processMs.toFixed(0)} ms (medians of ${runs} rounds)`,
);
console.table(
  names.map((name) => {
    const before = m(`${name} before`);
    const after = m(`${name} after`);
    return {
      handler: name,
      kB: `${Math.round(bytes[`${name} before`]! / 1000)} → ${Math.round(bytes[`${name} after`]! / 1000)}`,
      assetKB: `${Math.round(totalBytes[`${name} before`]! / 1000)} → ${Math.round(totalBytes[`${name} after`]! / 1000)}`,
      importMs: `${before.importMs.toFixed(0)} → ${after.importMs.toFixed(0)}`,
      overClientMs: `${(before.processMs - client.processMs).toFixed(0)} → ${(after.processMs - client.processMs).toFixed(0)}`,
      importOverClientMs: `${(before.importMs - client.importMs).toFixed(0)} → ${(after.importMs - client.importMs).toFixed(0)}`,
      cpuOverClientMs: `${(before.importCpuMs - client.importCpuMs).toFixed(0)} → ${(after.importCpuMs - client.importCpuMs).toFixed(0)}`,
    };
  }),
);
