// Compares the import time of bundles in one run: 15 rounds, each a fresh Node process per bundle, in turn.
//   node bench/import-compare.mjs /tmp/before/api.mjs /tmp/after/api.mjs
import { execFileSync } from 'node:child_process';
const files = process.argv.slice(2);
const env = { ...process.env, TABLE_NAME: 't', AWS_REGION: 'eu-west-1', POWERTOOLS_LOG_LEVEL: 'SILENT', TRAIL_ANCHOR_BUCKET: 'b', TRAIL_SIGNING_KEY_ARN: 'arn:aws:kms:eu-west-1:1:key/k', RECIPIENT_BUCKET: 'r' };
const times = Object.fromEntries(files.map((f) => [f, []]));
for (let i = 0; i < 15; i++) for (const f of files) {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', `const t=performance.now(); await import(${JSON.stringify(f)}); console.log(performance.now()-t)`], { env, encoding: 'utf8' });
  times[f].push(Number(out.trim().split('\n').pop()));
}
for (const f of files) { const s = times[f].sort((a,b)=>a-b); console.log(f, 'median', s[7].toFixed(1), 'ms'); }
