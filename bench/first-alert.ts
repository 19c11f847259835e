/**
 * What a cold ingest instance spends on its first alert before any I/O (issue 14.6; docs/benchmarks.md).
 *
 *   npm run bench:first-alert
 *   npm run bench:first-alert -- --runs 15
 *
 * The payload schemas, the ladder's schemas and the default routing patterns are built on first use, so
 * `bench:bundle` (import only) no longer sees them. This benchmark bundles the ingest path's domain the way
 * the stack bundles a handler (normalisers, routing rules, escalation ladder, with zod and RE2JS) and, in a
 * fresh Node process per run, times the import and then the first alert: one sample payload per source from
 * test/events (eight of the nine sources; CloudWatch alarms come wrapped in SNS), normalised and routed. The
 * sum is the part of a cold start this work decides.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../lib/bundling.js';
import { bundleEntry } from './bundle-size.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '9' } } });
const RUNS = Number(values.runs);
/** One sample payload per source (and the headers its sender adds that the normaliser reads). */
const SAMPLES: Record<string, string> = {
  generic: 'generic/first-alert.json',
  alertmanager: 'alertmanager/group-firing.json',
  grafana: 'grafana/firing.json',
  datadog: 'datadog/recommended-template.json',
  guardduty: 'guardduty/eventbridge-exfiltration.json',
  securityhub: 'securityhub/eventbridge-imported.json',
  pagerduty: 'pagerduty/webhook-v3-triggered.json',
  sentry: 'sentry/metric-alert-critical.json',
};

const dir = mkdtempSync(join(tmpdir(), 'breachclock-first-alert-'));
// Static imports, as a handler has them: a first module marks the start, so the import is timed from there.
writeFileSync(join(dir, 'mark.ts'), 'globalThis.startedAt = performance.now();\n');
const entry = join(dir, 'first-alert.ts');
writeFileSync(
  entry,
  `import './mark.ts';
import { NORMALISERS } from ${JSON.stringify(`${PROJECT_ROOT}lambdas/domain/normalisers/index.ts`)};
import { DEFAULT_ROUTING, routeAlert } from ${JSON.stringify(`${PROJECT_ROOT}lambdas/domain/routing.ts`)};
import { DEFAULT_LADDER } from ${JSON.stringify(`${PROJECT_ROOT}lambdas/domain/escalation-ladder.ts`)};
const imported = performance.now();
const alerts = NORMALISERS[process.env.SOURCE].normalise({ body: JSON.parse(process.env.BODY), headers: { 'sentry-hook-resource': 'metric_alert' } });
const decisions = await Promise.all(alerts.map(async (alert) => (await routeAlert(DEFAULT_ROUTING, alert)).action));
const done = performance.now();
console.log(JSON.stringify({ importMs: imported - globalThis.startedAt, firstAlertMs: done - imported, decisions, steps: DEFAULT_LADDER.steps.length }));
`,
);
const { outfile } = await bundleEntry(entry, join(dir, 'first-alert.mjs'));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const samples: Record<string, { importMs: number[]; firstAlertMs: number[]; totalMs: number[]; decisions: string }> = {};
for (let run = 0; run < RUNS; run++) {
  for (const [source, file] of Object.entries(SAMPLES)) {
    const out = execFileSync(process.execPath, [outfile], { env: { ...process.env, SOURCE: source, BODY: readFileSync(`${PROJECT_ROOT}test/events/${file}`, 'utf8') }, encoding: 'utf8' });
    const { importMs, firstAlertMs, decisions } = JSON.parse(out) as { importMs: number; firstAlertMs: number; decisions: string[] };
    const row = (samples[source] ??= { importMs: [], firstAlertMs: [], totalMs: [], decisions: decisions.join(',') });
    row.importMs.push(importMs);
    row.firstAlertMs.push(firstAlertMs);
    row.totalMs.push(importMs + firstAlertMs);
  }
}
rmSync(dir, { recursive: true, force: true });
console.log(`The ingest path's domain, bundled as the stack bundles it; medians of ${RUNS} fresh processes per source`);
console.table(
  Object.fromEntries(
    Object.entries(samples).map(([source, s]) => [
      source,
      { 'import, ms': Number(median(s.importMs).toFixed(1)), 'first alert, ms': Number(median(s.firstAlertMs).toFixed(1)), 'both, ms': Number(median(s.totalMs).toFixed(1)), routed: s.decisions },
    ]),
  ),
);
