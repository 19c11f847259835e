import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildDesk, deskAssetCommands, deskBuildArgs } from '../../lib/desk-bundle.js';
import { PROJECT_ROOT } from '../../lib/bundling.js';

const run = promisify(execFile);

/** The desk's script stays small: Preact and htm (~15 KB) and our views. */
const DESK_BUDGET_BYTES = 120_000;

/** The desk (ADR 0017): TypeScript modules bundled by esbuild, typed against lambdas/contracts/. */
describe('the desk bundle', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'breachclock-desk-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('builds into one script within its budget, with nothing the content security policy forbids', async () => {
    const files = await buildDesk();
    expect(files['app.js'].length).toBeLessThanOrEqual(DESK_BUDGET_BYTES);
    // script-src 'self' without 'unsafe-eval': no eval, no Function constructor, no string timers.
    expect(files['app.js']).not.toMatch(/\beval\(|new Function\(|\bFunction\(["'`]/);
    // No inline script, no inline style in the page: every script has a src.
    expect(files['index.html']).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(files['index.html']).not.toMatch(/\sstyle=|<style/);
    // Types only from the API's contracts: no domain or handler code in the browser.
    expect(files['app.js']).not.toMatch(/zod|DynamoDB|incidentActionSchema/);
  });

  it("esbuild's command line (the CDK asset) and its JS API (the local stack) build the same bytes", async () => {
    const outfile = join(outdir, 'app.js');
    await run(join(PROJECT_ROOT, 'node_modules/.bin/esbuild'), deskBuildArgs(PROJECT_ROOT, outfile));
    expect(readFileSync(outfile, 'utf8')).toBe((await buildDesk())['app.js']);
    expect(deskAssetCommands('/in', '/out')).toEqual([
      "mkdir -p '/out/dashboard'",
      expect.stringMatching(/^'\/in\/node_modules\/\.bin\/esbuild' '\/in\/lambdas\/dashboard\/src\/main\.ts' .* '--outfile=\/out\/dashboard\/app\.js'$/),
      "cp '/in/lambdas/dashboard/index.html' '/in/lambdas/dashboard/app.css' '/out/dashboard'",
    ]);
  });

  it('typechecks against lambdas/contracts/ (an API answer that changes shape breaks the desk here)', async () => {
    await expect(run(process.execPath, [join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', join(PROJECT_ROOT, 'lambdas/dashboard/tsconfig.json')], { cwd: PROJECT_ROOT })).resolves.toBeDefined();
  }, 120_000);
});
