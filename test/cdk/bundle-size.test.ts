import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BUDGET_BYTES, bundleEntry, bundleHandler, HANDLERS } from '../../bench/bundle-size.js';
import { BUNDLE_BANNER } from '../../lib/bundling.js';

const run = promisify(execFile);

/** Imports a bundle in a fresh Node process and answers which of Node's own modules it loaded. */
async function modulesLoadedBy(file: string): Promise<string[]> {
  const script = `await import(${JSON.stringify(file)}); console.log(JSON.stringify(process.moduleLoadList));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, TABLE_NAME: 'bundle-test', AWS_REGION: 'eu-west-1', POWERTOOLS_LOG_LEVEL: 'SILENT' },
  });
  return JSON.parse(stdout) as string[];
}

describe('Lambda bundles', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'breachclock-bundle-test-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it.each(HANDLERS)('%s bundles (AWS SDK included) within the 1.3 MB budget (ADR 0015), every built-in through its CommonJS shim, and imports', async (name) => {
    const { outfile, bytes, byPackage, externalImports } = await bundleHandler(name, outdir);
    expect(bytes).toBeLessThanOrEqual(BUDGET_BYTES);
    // The AWS SDK is bundled in, not left to the runtime; of its credential chain only the environment (Lambda's).
    // (The letter renderer touches no table: S3 only, ADR 0018; it is the one bundle with the PDF library.)
    if (name !== 'render-notice-letter') expect(byPackage.map(([pkg]) => pkg)).toContain('@aws-sdk/client-dynamodb');
    else expect(byPackage.map(([pkg]) => pkg)).toContain('pdf-lib');
    if (name !== 'render-notice-letter') expect(byPackage.map(([pkg]) => pkg)).not.toContain('pdf-lib');
    expect(byPackage.map(([pkg]) => pkg).filter((pkg) => /credential-provider|nested-clients/.test(pkg))).toEqual(['@aws-sdk/credential-provider-env']);
    // No ESM import of a Node built-in is left but the banner's node:module (lib/bundling.ts says why).
    expect(externalImports.filter((specifier) => specifier !== 'node:module')).toEqual([]);
    // The banner's import is the one left in the text.
    expect(readFileSync(outfile, 'utf8').startsWith(BUNDLE_BANNER)).toBe(true);
    // Importing it loads neither undici (node:http's namespace getters) nor what only the SDK's lazily loaded
    // credential providers use.
    const loaded = await modulesLoadedBy(outfile);
    expect(loaded).not.toContain('NativeModule internal/deps/undici/undici');
    expect(loaded).not.toContain('NativeModule child_process');
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
});
