import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Plugin } from 'esbuild';
import { BUDGET_BYTES, bundleEntry, bundleHandler, HANDLERS } from '../../bench/bundle-size.js';
import { BUNDLE_BANNER, PROJECT_ROOT } from '../../lib/bundling.js';

const run = promisify(execFile);

/** Imports a bundle in a fresh Node process and answers which of Node's own modules it loaded. */
async function modulesLoadedBy(file: string): Promise<string[]> {
  const script = `await import(${JSON.stringify(file)}); console.log(JSON.stringify(process.moduleLoadList));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, TABLE_NAME: 'bundle-test', AWS_REGION: 'eu-west-1', POWERTOOLS_LOG_LEVEL: 'SILENT' },
  });
  return JSON.parse(stdout) as string[];
}

/**
 * Bundled in place of re2js: re-exports it and marks the global object once its module body (and re2js's,
 * which an ESM module evaluates first) has run.
 */
const re2jsProbe: Plugin = {
  name: 're2js-probe',
  setup(build) {
    build.onResolve({ filter: /^re2js$/ }, (args) => (args.pluginData === 'probe' ? undefined : { path: 're2js', namespace: 're2js-probe' }));
    build.onLoad({ filter: /.*/, namespace: 're2js-probe' }, () => ({
      contents: "export * from 're2js';\nglobalThis.re2jsEvaluated = true;\n",
      resolveDir: PROJECT_ROOT,
      pluginData: 'probe',
    }));
  },
};

/** Imports a bundle in a fresh Node process, runs `then` with its module as `m`, and answers whether re2js was evaluated before and after. */
async function re2jsEvaluated(file: string, then = ''): Promise<{ atImport: boolean; after: boolean }> {
  const script = `const m = await import(${JSON.stringify(file)}); const atImport = globalThis.re2jsEvaluated === true; ${then}; console.log(JSON.stringify({ atImport, after: globalThis.re2jsEvaluated === true }));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, TABLE_NAME: 'bundle-test', AWS_REGION: 'eu-west-1', POWERTOOLS_LOG_LEVEL: 'SILENT' },
  });
  return JSON.parse(stdout) as { atImport: boolean; after: boolean };
}

/** Marks the global object once UPNG's module body (either build of it) has run (lib/upng-on-first-use.mjs loads it on first use). */
const upngProbe: Plugin = {
  name: 'upng-probe',
  setup(build) {
    build.onLoad({ filter: /@pdf-lib[\\/]upng[\\/](cjs[\\/])?UPNG\.js$/ }, (args) => ({
      contents: `${readFileSync(args.path, 'utf8')}\nglobalThis.upngEvaluated = true;\n`,
      loader: 'js',
    }));
  },
};

/** A letter, a batch of two and a document with a PNG, rendered by the letter renderer and pdf-lib of `module` (sources or a bundle): each PDF's SHA-256. */
const RENDER_LETTERS = `
const { createHash } = await import('node:crypto');
const renderer = new m.PdfLetterRenderer();
const input = { incidentId: 'INC-T-1', noticeId: 'NTC-gdpr-people-0a1b2c3d', version: 2, contentHash: 'a'.repeat(64), approvedAt: '2026-12-05T10:00:00.000Z', language: 'de',
  rendered: { subject: 'Wichtig: Bäckerei Müller', text: 'Was ist passiert\\n  Straße, Größe « œuvre » façade, Łukasz Řehoř ☃' },
  sender: { name: 'Bäckerei Müller GmbH', dpo: { name: 'Dana Pohl', email: 'dpo@example.de' }, postalAddress: 'Hauptstraße 1, 10115 Berlin' },
  recipientName: 'Jürgen Groß', address: { line1: 'Lindenallee 7', city: 'München', postcode: '80331', country: 'DE' } };
const letter = await renderer.letter(input);
const batch = await renderer.batch([letter, await renderer.letter({ ...input, language: 'en', address: { line1: '1 Main St', city: 'Austin', state: 'TX', postcode: '78701', country: 'US' } })]);
const beforePng = globalThis.upngEvaluated === true;
const doc = await m.PDFDocument.create();
doc.setCreationDate(new Date(0));
doc.setModificationDate(new Date(0));
const image = await doc.embedPng(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
doc.addPage().drawImage(image, { x: 0, y: 0, width: 10, height: 10 });
const png = await doc.save({ useObjectStreams: false });
const sha = (bytes) => createHash('sha256').update(bytes).digest('hex');
console.log(JSON.stringify({ letter: sha(letter), batch: sha(batch), png: sha(png), beforePng, afterPng: globalThis.upngEvaluated === true }));
`;

describe('Lambda bundles', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'breachclock-bundle-test-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it.each(HANDLERS)('%s bundles (AWS SDK included) within the 1.3 MB budget (ADR 0015), every built-in through its CommonJS shim, and imports', async (name) => {
    const { outfile, bytes, byPackage, byPackageAll, externalImports, inputs } = await bundleHandler(name, outdir);
    // What a cold start loads (the entry and the chunks it imports statically) within the budget; the chunks
    // loaded on first use are compiled only then (code splitting, ADR 0018 session 11).
    expect(bytes).toBeLessThanOrEqual(BUDGET_BYTES);
    // The AWS SDK is bundled in, not left to the runtime; of its credential chain only the environment (Lambda's).
    // (The letter renderer touches no table: S3 only, ADR 0019; it is the one bundle with the PDF library.)
    if (name !== 'render-notice-letter') expect(byPackage.map(([pkg]) => pkg)).toContain('@aws-sdk/client-dynamodb');
    else expect(byPackage.map(([pkg]) => pkg)).toContain('pdf-lib');
    if (name !== 'render-notice-letter') expect(byPackage.map(([pkg]) => pkg)).not.toContain('pdf-lib');
    expect(byPackageAll.map(([pkg]) => pkg).filter((pkg) => /credential-provider|nested-clients/.test(pkg))).toEqual(['@aws-sdk/credential-provider-env']);
    // zod/mini only, no classic zod (ADR 0018, sessions 12 and 14: about 70 kB and 14-20 ms of a cold start).
    expect(inputs.filter((path) => /node_modules\/zod\/(index\.js|v4\/classic\/)/.test(path))).toEqual([]);
    // No ESM import of a Node built-in is left but the banner's node:module (lib/bundling.ts says why).
    expect(externalImports.filter((specifier) => specifier !== 'node:module')).toEqual([]);
    // The banner's import is the one left in the text.
    expect(readFileSync(outfile, 'utf8').startsWith(BUNDLE_BANNER)).toBe(true);
    // Importing it loads neither undici (node:http's namespace getters) nor what only the SDK's lazily loaded
    // credential providers use.
    const loaded = await modulesLoadedBy(outfile);
    expect(loaded).not.toContain('NativeModule internal/deps/undici/undici');
    expect(loaded).not.toContain('NativeModule child_process');
    // Every chunk loaded on first use resolves what it imports from the bundle's directory (code splitting).
    const chunkDir = join(dirname(outfile), 'chunks');
    const chunks = existsSync(chunkDir) ? readdirSync(chunkDir).filter((file) => file.endsWith('.mjs')) : [];
    const script = `for (const c of ${JSON.stringify(chunks.map((file) => join(dirname(outfile), 'chunks', file)))}) await import(c); console.log('ok');`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, TABLE_NAME: 'bundle-test', AWS_REGION: 'eu-west-1', POWERTOOLS_LOG_LEVEL: 'SILENT' } });
    expect(stdout.trim()).toBe('ok');
  });

  // What each function needs only on some requests, a chunk loaded on first use (code splitting, ADR 0018 session 11).
  it.each([
    // the hourly trail anchors; a burst handed out in pages, a page to an SNS topic, the Slack settings' secret
    ['sweep-due-timers', ['@aws-sdk/client-s3', '@aws-sdk/client-kms', '@aws-sdk/client-sqs', '@aws-sdk/client-sns', '@aws-sdk/client-secrets-manager']],
    // the trail-anchor channel; a page to an SNS topic, the Slack settings' secret
    ['dispatch-outbox', ['@aws-sdk/client-s3', '@aws-sdk/client-kms', '@aws-sdk/client-sns', '@aws-sdk/client-secrets-manager']],
    // lists, letters, the trail check; the notice routes (their CSV parser and templates); the register's CSV export
    ['api', ['@aws-sdk/client-s3', '@aws-sdk/client-kms', '@aws-sdk/lib-storage', 'csv-parse', 'mustache', 'csv-stringify']],
    // queued jobs, linked accounts, notice commands
    ['slack', ['@aws-sdk/client-lambda', '@aws-sdk/client-cognito-identity-provider', 'csv-parse', 'mustache']],
    // letters, through the render function; text messages; completing a notice (its decision, the regime clocks
    // with luxon) and deleting its list
    ['send-notice-chunk', ['@aws-sdk/client-lambda', '@aws-sdk/client-sns', '@aws-sdk/client-s3', 'luxon']],
    ['plan-notice-sends', ['@aws-sdk/client-s3', '@aws-sdk/client-sqs', 'csv-parse']], // a list to plan (not a notice already planned)
    ['ingest-alert', ['re2js']], // a rule's pattern
    ['ingest-event', ['re2js']],
    ['ingest-batch', ['re2js']],
  ] as const)('%s: %j are in the bundle but not in what a cold start loads', async (name, lazy) => {
    const { byPackage, byPackageAll } = await bundleHandler(name, join(outdir, 'lazy'));
    const cold = byPackage.map(([pkg]) => pkg);
    for (const pkg of lazy) expect(cold).not.toContain(pkg);
    expect(byPackageAll.map(([pkg]) => pkg)).toEqual(expect.arrayContaining([...lazy]));
  });

  it('an AWS SDK client bundled with the shims signs and sends a request over node:http and reads the answer', async () => {
    const requests: { method?: string; target?: string | string[]; authorization?: string }[] = [];
    const server = createServer((req, res) => {
      requests.push({ method: req.method, target: req.headers['x-amz-target'], authorization: req.headers.authorization });
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ TableNames: ['from-the-fake-endpoint'] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const entry = join(outdir, 'sdk-call.ts');
      writeFileSync(
        entry,
        `import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
// No credentials given: as in Lambda, the execution role's come from the environment (lib/lambda-credentials.mjs).
const client = new DynamoDBClient({ region: 'eu-west-1', endpoint: process.env.ENDPOINT });
const out = await client.send(new ListTablesCommand({}));
console.log(JSON.stringify(out.TableNames));\n`,
      );
      const { outfile } = await bundleEntry(entry, join(outdir, 'sdk-call.mjs'));
      const { port } = server.address() as AddressInfo;
      const { stdout } = await run(process.execPath, [outfile], {
        env: { ...process.env, ENDPOINT: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'session', AWS_PROFILE: '' },
      });
      expect(JSON.parse(stdout)).toEqual(['from-the-fake-endpoint']);
      expect(requests).toEqual([{ method: 'POST', target: 'DynamoDB_20120810.ListTables', authorization: expect.stringMatching(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//) }]);
    } finally {
      server.close();
    }
  });

  // ADR 0018 (session 12): the researched packs' long parts are a file beside index.mjs, read on first use.
  it.each([
    ['in index.mjs', 'import { RULE_PACKS } from $PACKS; import { regimeClocks } from $ENGINE;'],
    ['in a chunk loaded on first use', 'const { RULE_PACKS } = await import($PACKS); const { regimeClocks } = await import($ENGINE);'],
  ])('a bundle computes a researched state\'s clocks with the packs\' code %s, reading jurisdictions.details.json beside index.mjs', async (where, imports) => {
    const entry = join(outdir, `clocks-${where.length}.ts`);
    const code = imports
      .replace('$PACKS', JSON.stringify(`${PROJECT_ROOT}lambdas/domain/regimes/packs/index.ts`))
      .replace('$ENGINE', JSON.stringify(`${PROJECT_ROOT}lambdas/domain/regimes/engine.ts`));
    writeFileSync(
      entry,
      `${code}
const clocks = regimeClocks(RULE_PACKS, { detectedAt: '2026-11-20T15:00:00.000Z' }, { jurisdictions: [{ code: 'US-AL', affected: 1200 }], assessedAt: '2026-11-20T15:00:00.000Z' }, new Date('2026-11-21T12:00:00Z'));
console.log(JSON.stringify(clocks.filter((c) => c.regime === 'us-al-breach').map((c) => [c.obligation, c.dueAt])));\n`,
    );
    const { outfile, assets } = await bundleEntry(entry, join(outdir, `clocks-${where.length}.mjs`));
    expect(assets).toEqual(['jurisdictions.details.json']);
    expect(readdirSync(dirname(outfile))).toContain('jurisdictions.details.json');
    if (where.includes('chunk')) expect(readFileSync(outfile, 'utf8')).not.toContain('Alabama Data Breach Notification Act');
    const { stdout } = await run(process.execPath, [outfile]);
    // Alabama (the pack's research): residents within 45 days; above 1,000 residents the Attorney General (45 days) and the consumer reporting agencies too.
    const clocks = JSON.parse(stdout) as [string, string | undefined][];
    expect(clocks.map(([obligation]) => obligation).sort()).toEqual(['attorney-general', 'consumer-reporting-agencies', 'resident-notice']);
    expect(clocks.find(([obligation]) => obligation === 'resident-notice')![1]).toMatch(/^2027-01-0[45]T/);
  });

  it('a bundle that never computes clocks gets no copy of the packs\' long parts', async () => {
    const { outfile, assets } = await bundleHandler('ingest-alert', join(outdir, 'no-assets'));
    expect(assets).toEqual([]);
    expect(readdirSync(dirname(outfile))).not.toContain('jurisdictions.details.json');
  });

  it.each(['ingest-alert', 'ingest-event', 'ingest-batch'])('%s: importing the bundle does not evaluate the pattern engine, re2js (ADR 0018)', async (name) => {
    const { outfile } = await bundleEntry(`${PROJECT_ROOT}lambdas/handlers/${name}.handler.ts`, join(outdir, `${name}.probe.mjs`), { plugins: [re2jsProbe] });
    expect(await re2jsEvaluated(outfile)).toEqual({ atImport: false, after: false });
  });

  it('the pattern engine is evaluated when a configured rule needs a pattern, and only then (the probe above can see it)', async () => {
    const entry = join(outdir, 'routing-entry.ts');
    writeFileSync(entry, `export { parseRoutingRules, routeAlert, DEFAULT_ROUTING } from ${JSON.stringify(`${PROJECT_ROOT}lambdas/domain/routing.ts`)};\n`);
    const { outfile } = await bundleEntry(entry, join(outdir, 'routing.probe.mjs'), { plugins: [re2jsProbe] });
    const alert = (source: string) => JSON.stringify({ source, fingerprint: 'f', title: 'x', severity: 'medium', status: 'firing' });
    // Rules without a pattern, and a generic alert through the defaults (their first rule has none): not evaluated.
    expect(await re2jsEvaluated(outfile, `await m.parseRoutingRules([{ name: 'all', when: { source: ['generic'] }, then: 'open' }]); await m.routeAlert(m.DEFAULT_ROUTING, ${alert('generic')})`)).toEqual({ atImport: false, after: false });
    // A configured rule with a pattern: evaluated when the rules are parsed.
    expect(await re2jsEvaluated(outfile, `await m.parseRoutingRules([{ name: 'pci', when: { labels: { data: 'card.*' } }, then: 'open' }])`)).toEqual({ atImport: false, after: true });
    // An alert reaching a default rule's pattern (CloudWatch: the description rule): evaluated then.
    expect(await re2jsEvaluated(outfile, `await m.routeAlert(m.DEFAULT_ROUTING, ${alert('cloudwatch')})`)).toEqual({ atImport: false, after: true });
  });

  it('the letter renderer bundled (pako inflating through Node\'s zlib, UPNG evaluated on first use) writes the same PDFs as the sources (ADR 0018)', async () => {
    const entry = join(outdir, 'letters-entry.ts');
    writeFileSync(entry, `export { PdfLetterRenderer } from ${JSON.stringify(`${PROJECT_ROOT}lambdas/adapters/letters/pdf-letter-renderer.ts`)};\nexport { PDFDocument } from 'pdf-lib';\n`);
    const { outfile, byPackage } = await bundleEntry(entry, join(outdir, 'letters.probe.mjs'), { plugins: [upngProbe] });
    // pako's inflater is not in the bundle (its deflater is: pdf-lib compresses with it).
    expect(/inflateGetHeader/.test(readFileSync(outfile, 'utf8'))).toBe(false);
    expect(byPackage.map(([pkg]) => pkg)).toContain('pako');
    const render = async (load: string) => {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `const m = ${load};\n${RENDER_LETTERS}`], { cwd: PROJECT_ROOT });
      return JSON.parse(stdout) as { letter: string; batch: string; png: string; beforePng: boolean; afterPng: boolean };
    };
    const bundled = await render(`await import(${JSON.stringify(outfile)})`);
    const sources = await render(`{ ...(await import('./lambdas/adapters/letters/pdf-letter-renderer.ts')), ...(await import('pdf-lib')) }`);
    expect({ ...bundled, beforePng: undefined, afterPng: undefined }).toEqual({ ...sources, beforePng: undefined, afterPng: undefined });
    // A letter never decodes a PNG, so UPNG is evaluated only when a document embeds one.
    expect([bundled.beforePng, bundled.afterPng]).toEqual([false, true]);
  });

  it('render-notice-letter: importing the bundle does not evaluate UPNG (ADR 0018)', async () => {
    const { outfile } = await bundleEntry(`${PROJECT_ROOT}lambdas/handlers/render-notice-letter.handler.ts`, join(outdir, 'render-notice-letter.probe.mjs'), { plugins: [upngProbe] });
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(outfile)}); console.log(globalThis.upngEvaluated === true);`], {
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
    });
    expect(stdout.trim()).toBe('false');
  });
});
