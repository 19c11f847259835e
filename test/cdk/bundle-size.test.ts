import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUDGET_BYTES, bundleHandler, HANDLERS } from '../../bench/bundle-size.js';

describe('Lambda bundle size budget', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'breachclock-bundle-test-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it.each(HANDLERS)('%s bundles (AWS SDK included) within the 1 MB budget', async (name) => {
    const { bytes, byPackage } = await bundleHandler(name, outdir);
    expect(bytes).toBeLessThanOrEqual(BUDGET_BYTES);
    // The AWS SDK is bundled in, not left to the runtime.
    expect(byPackage.map(([pkg]) => pkg)).toContain('@aws-sdk/client-dynamodb');
  });
});
