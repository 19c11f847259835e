import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startLocalStack, type LocalStack } from '../../local/local-stack.js';

/** Screenshots of the main views, kept as test artefacts (not committed). */
const ARTEFACTS = join(process.cwd(), 'test-results', 'dashboard');

const chromiumPath = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

/**
 * The compliance desk in headless Chromium (Debian's package, driven by playwright-core) against the local
 * stack: sign in, an alert arrives and appears without a reload, an action is taken, the timeline updates,
 * hostile alert text stays text.
 */
describe('dashboard in headless Chromium', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'breachclock-browser-'));
  let stack: LocalStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!chromiumPath) throw new Error('Chromium not found: npm test installs it (scripts/preflight.mjs), or set CHROMIUM_PATH');
    mkdirSync(ARTEFACTS, { recursive: true });
    stack = await startLocalStack({ dataDir, port: 0, clockIntervalMs: 500, streamIntervalMs: 100 });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ timezoneId: 'Europe/Berlin', locale: 'en-GB' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const ingest = (body: unknown) =>
    fetch(`${stack.url}/alerts/generic`, { method: 'POST', headers: { authorization: `Bearer ${stack.ingestToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<{ incidentId: string }>);

  it('signs in, shows a new alert without a reload, acts on it, and the timeline follows', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      // The refused second "Acknowledge" below answers 409 on purpose.
      if (message.type() === 'error' && !message.text().includes('status of 409')) errors.push(message.text());
    });

    await page.goto(`${stack.url}/dashboard`);
    await page.getByLabel('API token').fill(stack.apiToken);
    await page.getByLabel('Your name (recorded on every action)').fill('dana.dpo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('No open incidents.').waitFor();
    await page.screenshot({ path: join(ARTEFACTS, '1-empty.png'), fullPage: true });

    // An alert arrives while the page is open: it appears by itself, with its countdown.
    const hostile = '<img src=x onerror=alert(1)> Bulk export from customers';
    const { incidentId } = await ingest({ title: hostile, severity: 'critical', fingerprint: 'db/customers', observedAt: new Date(Date.now() - 60_000).toISOString() });
    const row = page.locator(`tr[data-incident="${incidentId}"]`);
    await row.waitFor({ timeout: 10_000 });
    await expect(row.textContent()).resolves.toContain(hostile); // shown as text, not markup
    expect(await page.locator('img').count()).toBe(0);
    const chip = row.locator('.clock').first();
    await expect(chip.textContent()).resolves.toMatch(/^gdpr-art33\/authority-notification: 2d 23h \d+m/);
    await expect(chip.getAttribute('class')).resolves.toBe('clock band-ok');
    await page.screenshot({ path: join(ARTEFACTS, '2-list.png'), fullPage: true });

    // Open it, with the keyboard: the link is focusable and Enter follows it.
    await row.getByRole('link', { name: incidentId }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: new RegExp(`^${incidentId}:`) }).waitFor();
    await page.getByText(/^Audit trail intact \(1 events\)$/).waitFor();
    expect(await page.locator('#clocks .bar').count()).toBeGreaterThan(0);

    // Act: acknowledge; the timeline shows it.
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.locator('#timeline').getByText(/Acknowledged by dana\.dpo/).waitFor();
    // A refused action shows the API's own error.
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByRole('alert').getByText(/already acknowledged by dana\.dpo/).waitFor();
    await page.screenshot({ path: join(ARTEFACTS, '3-detail.png'), fullPage: true });

    // Confirm with a justification: the clock now runs from the confirmed awareness.
    // The form takes the viewer's local time (the page runs in Europe/Berlin here).
    const aware = new Date(Date.now() - 30 * 60_000);
    const inBerlin = await page.evaluate((utc) => {
      const d = new Date(utc);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    }, aware.toISOString());
    await page.getByLabel('Aware since (your time)').fill(inBerlin);
    await page.getByLabel('Justification').fill('Forensics confirmed the export reached an external host');
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.locator('#timeline').getByText(/Confirmed as a personal-data breach by dana\.dpo/).waitFor();
    await page.getByText(/Audit trail intact \(3 events\)/).waitFor();
    expect(errors).toEqual([]);
  }, 60_000);
});
