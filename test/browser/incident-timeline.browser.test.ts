import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { IncidentDetailAnswer } from '../../lambdas/contracts/api-answers.js';
import { startLocalStack, type LocalStack } from '../../local/local-stack.js';

/** Screenshots and the printed page, kept as test artefacts (not committed). */
const ARTEFACTS = join(process.cwd(), 'test-results');

const chromiumPath = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');
/** The picture's own way of writing an instant (UTC). */
const utcShort = (at: number) => {
  const d = new Date(at);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Issue 25 §2, "trustworthy at a glance": an incident with several legal clocks, one submission recorded and the
 * GDPR deadline passed in the stack's virtual time. The incident's timeline picture has a bar per clock by its
 * human name, the escalation steps, the submission, the overdue part and a "now" line at the stack's time (not
 * the browser's); the list leads each incident with its nearest deadline in words; closing shows the guard's
 * reasons and takes an override with its reason; the US resident notice variants are listed with their states.
 */
describe('the incident timeline on the desk', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'breachclock-timeline-'));
  let stack: LocalStack;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    if (!chromiumPath) throw new Error('Chromium not found: npm test installs it (scripts/preflight.mjs), or set CHROMIUM_PATH');
    mkdirSync(ARTEFACTS, { recursive: true });
    stack = await startLocalStack({
      dataDir,
      port: 0,
      clockIntervalMs: 500,
      streamIntervalMs: 100,
      env: { ORGANISATION: JSON.stringify({ name: 'Shopwise GmbH', dpo: { name: 'Dana Pohl', email: 'dpo@shopwise.example' } }) },
    });
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function signedIn(actor: string): Promise<Page> {
    const context = await browser.newContext({ timezoneId: 'Europe/Berlin', locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(`${actor}: ${error.message}`));
    page.on('console', (message) => {
      // The refusal the test provokes on purpose answers 409.
      if (message.type() === 'error' && !/status of (400|409)/.test(message.text())) errors.push(`${actor}: ${message.text()}`);
    });
    await page.goto(`${stack.url}/dashboard`);
    await page.getByLabel('API token').fill(stack.apiToken);
    await page.getByLabel('Your name (recorded on every action)').fill(actor);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(/^Open incidents, most urgent deadline first$/).waitFor();
    return page;
  }

  const call = (method: 'GET' | 'POST', path: string, body?: unknown) =>
    fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.apiToken}`, 'x-actor': 'lee.legal', ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  async function act(incidentId: string, action: Record<string, unknown>): Promise<void> {
    const response = await call('POST', `/api/incidents/${encodeURIComponent(incidentId)}/actions`, action);
    if (response.status !== 200) throw new Error(`${String(action.action)}: ${response.status} ${await response.text()}`);
  }

  it('draws every clock, its steps, the submission and now; the list counts down; closing shows its guard and takes an override', async () => {
    const ingested = await fetch(`${stack.url}/alerts/generic`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.ingestToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Order history export <script>alert(1)</script>', severity: 'critical', fingerprint: 'timeline/one', observedAt: new Date(Date.now() - 2 * 3_600_000).toISOString() }),
    });
    const { incidentId } = (await ingested.json()) as { incidentId: string };
    const blockingTitle = 'Wipe the <img src=x onerror=alert(1)> laptop & rotate keys';
    await act(incidentId, { action: 'record-facts', facts: { jurisdictions: [{ code: 'EU', affected: 1200 }, { code: 'US-TX', affected: 300 }, { code: 'US-MA', affected: 40 }], dataCategories: ['contact', 'financial'] } });
    await act(incidentId, { action: 'confirm', awareAt: new Date(Date.now() - 3_600_000).toISOString(), justification: 'The export reached an external host' });
    await act(incidentId, { action: 'add-task', title: blockingTitle, phase: 'contain', role: 'responder', blocksClose: true });

    // A submission recorded for a clock other than the GDPR one (which is left to run late).
    const before = (await (await call('GET', `/api/incidents/${encodeURIComponent(incidentId)}`)).json()) as IncidentDetailAnswer;
    const submitted = before.incident.regimeClocks.find((c) => c.regime !== 'gdpr-art33' && c.dueAt && c.status === 'running');
    expect(submitted).toBeDefined();
    await act(incidentId, { action: 'record-submission', regime: submitted!.regime, obligation: submitted!.obligation, submittedAt: new Date(Date.parse(before.now) - 60_000).toISOString(), reference: 'AG-TX-0815' });

    // Three days on in the stack's time: the GDPR 72 hours have passed; the browser's clock has not moved.
    const advanced = await call('POST', '/local/clock/advance', { by: '73h' });
    expect(advanced.status).toBe(200);
    const detail = (await (await call('GET', `/api/incidents/${encodeURIComponent(incidentId)}`)).json()) as IncidentDetailAnswer;
    const clocks = detail.incident.regimeClocks;
    expect(clocks.length).toBeGreaterThanOrEqual(2);
    const stackNow = Date.parse(detail.now);
    expect(stackNow - Date.now()).toBeGreaterThan(72 * 3_600_000);

    const dana = await signedIn('dana.dpo');

    // The list: the nearest deadline first in words and colour, by the stack's clock.
    const countdown = dana.locator(`tr[data-incident="${incidentId}"] td.countdown`);
    await countdown.waitFor();
    await expect(countdown.locator('strong').textContent()).resolves.toMatch(/^overdue by \d+h \d{2}m$/);
    await expect(countdown.getAttribute('class')).resolves.toBe('countdown band-overdue');
    await expect(countdown.locator('.countdown-name').textContent()).resolves.toBe('GDPR Art. 33: Notify the lead supervisory authority');
    await dana.screenshot({ path: join(ARTEFACTS, 'desk-list.png'), fullPage: true });

    await dana.goto(`${stack.url}/dashboard#/incident/${encodeURIComponent(incidentId)}`);
    const svg = dana.locator('#timeline-picture svg');
    await svg.waitFor();

    // One bar per clock, each by its human name (codes only in data attributes).
    const rows = svg.locator('g.tl-row');
    await expect(rows.count()).resolves.toBe(clocks.length);
    for (const clock of clocks) {
      const row = svg.locator(`g.tl-row[data-regime="${clock.regime}"][data-obligation="${clock.obligation}"]`);
      const name = `${clock.regimeName.split(':')[0]!.trim()}: ${clock.label}`;
      expect((await row.locator('.tl-name').allTextContents()).join(' ')).toBe(name);
      if (clock.triggerAt && clock.dueAt) expect(await row.locator('rect.tl-window').count()).toBe(1);
      if (clock.deadlineKind === 'target' && clock.dueAt) expect((await row.locator('.tl-caption').allTextContents()).join(' ')).toMatch(/no legal deadline/);
    }
    await expect(svg.locator('title#timeline-picture-title').textContent()).resolves.toBe(`Legal clocks of ${incidentId}`);
    await expect(svg.locator('desc').textContent()).resolves.toContain('GDPR Art. 33: Notify the lead supervisory authority: due ');

    // The GDPR bar: overdue, the part past the deadline hatched, the ladder's steps as ticks.
    const gdpr = svg.locator('g.tl-row[data-regime="gdpr-art33"][data-obligation="authority-notification"]');
    await expect(gdpr.getAttribute('data-state')).resolves.toBe('overdue');
    expect((await gdpr.locator('.tl-caption').allTextContents()).join(' ')).toMatch(/OVERDUE by \d+h \d{2}m/);
    expect(await gdpr.locator('rect.tl-overdue-part').count()).toBe(1);
    expect(await gdpr.locator('line.tl-step').count()).toBeGreaterThanOrEqual(1);
    const overdue = await gdpr.locator('rect.tl-overdue-part').evaluate((r) => ({ x: Number(r.getAttribute('x')), width: Number(r.getAttribute('width')) }));
    const deadlineX = Number(await gdpr.locator('line.tl-deadline').getAttribute('x1'));
    expect(overdue.x).toBeCloseTo(deadlineX, 1);

    // The submission: a marker on its clock's bar, with its reference.
    const marker = svg.locator(`g.tl-row[data-regime="${submitted!.regime}"][data-obligation="${submitted!.obligation}"] path.tl-submission`);
    expect(await marker.count()).toBe(1);
    await expect(marker.locator('title').textContent()).resolves.toMatch(/submitted, reference AG-TX-0815/);

    // Now: the stack's time (three days ahead of the browser's), where the overdue part ends.
    await expect(svg.locator('.tl-now-label').textContent()).resolves.toMatch(new RegExp(`^now (${escapeRegExp(utcShort(stackNow))}|${escapeRegExp(utcShort(stackNow + 60_000))}) UTC$`));
    const nowX = Number(await svg.locator('line.tl-now-line').getAttribute('x1'));
    expect(overdue.x + overdue.width).toBeCloseTo(nowX, -1);
    expect(nowX).toBeGreaterThan(deadlineX);

    // Controls that match the state: a confirmed incident offers no Acknowledge.
    expect(await dana.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);

    // The US resident notices: one variant per group of states whose rules agree, with what and why.
    const variants = dana.locator('#us-resident-variants .us-variant');
    expect(await variants.count()).toBeGreaterThanOrEqual(1);
    await expect(dana.locator('#us-resident-variants').textContent()).resolves.toMatch(/US-MA/);
    await expect(variants.first().locator('dd.why').textContent()).resolves.toMatch(/\S/);

    // Closing: the guard's reasons before the API is asked, the blocking task's title as text.
    const guard = dana.locator('#close-guard');
    await expect(guard.textContent()).resolves.toMatch(/Closing is refused while \d+ blocking tasks are open/);
    await expect(guard.textContent()).resolves.toContain(blockingTitle);
    expect(await guard.locator('img').count()).toBe(0);
    expect(await dana.locator('script:not([src])').count()).toBe(0);
    await dana.screenshot({ path: join(ARTEFACTS, 'desk-incident-timeline.png'), fullPage: true });

    // Printed: in black and white, the hatching black on white, and a PDF where headless Chromium makes one.
    await dana.emulateMedia({ media: 'print' });
    const painted = (selector: ReturnType<Page['locator']>, property: 'stroke' | 'fill') =>
      selector.evaluate((node, p) => (globalThis as unknown as { getComputedStyle(n: unknown): Record<string, string> }).getComputedStyle(node)[p], property);
    await expect(painted(svg.locator('.tl-hatch-line'), 'stroke')).resolves.toBe('rgb(0, 0, 0)');
    await expect(painted(gdpr.locator('rect.tl-elapsed'), 'fill')).resolves.toBe('rgb(136, 136, 136)');
    const pdf = join(ARTEFACTS, 'desk-incident.pdf');
    await dana.pdf({ path: pdf, format: 'A4', landscape: true, printBackground: true });
    expect(statSync(pdf).size).toBeGreaterThan(10_000);
    await dana.emulateMedia({ media: 'screen' });

    // Closing without the override: the API still decides, and its refusal is shown in the form.
    const close = dana.locator('#close-form');
    await close.getByLabel('Resolution').fill('Contained, people and the authority told');
    await close.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(close.locator('#close-refused').textContent()).resolves.toMatch(/^Not closed: .*open blocking task/);
    // With the override and its reason (the close permission carries it): closed, the override on the timeline.
    await close.getByLabel('Override: close with the blocking tasks open').check();
    await close.getByLabel('Reason for the override (required)').fill('The laptop was destroyed by the vendor; certificate on file');
    await close.getByRole('button', { name: 'Close with override' }).click();
    await dana.locator('#timeline').getByText(/Closed by dana\.dpo OVERRIDING \d+ open blocking tasks: The laptop was destroyed/).waitFor({ timeout: 15_000 });
    expect(await dana.locator('#close-form').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 90_000);
});
