import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startLocalStack, type LocalStack } from '../../local/local-stack.js';
import { waitFor } from '../support/wait.js';

/** Screenshots of the officer's work, kept as test artefacts (not committed). */
const ARTEFACTS = join(process.cwd(), 'test-results', 'officer-desk');

const chromiumPath = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

/**
 * Issue 25.1: a compliance officer works an incident on the desk alone, in headless Chromium against the local
 * stack: facts, risk, a decision by two people, a notice drafted, edited beside its preview, approved as shown,
 * and its submission recorded. The API's own refusals appear beside the fields they name.
 */
describe('the officer works an incident on the desk', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'breachclock-officer-'));
  let stack: LocalStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let incidentId: string;
  let dana: Page;

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

  /** A person signed in to the desk in a browser of their own. */
  async function signedIn(actor: string): Promise<Page> {
    const context = await browser.newContext({ timezoneId: 'Europe/Berlin', locale: 'en-GB' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(`${actor}: ${error.message}`));
    page.on('console', (message) => {
      // Refusals the test provokes on purpose answer 400 or 409.
      if (message.type() === 'error' && !/status of (400|409)/.test(message.text())) errors.push(`${actor}: ${message.text()}`);
    });
    await page.goto(`${stack.url}/dashboard`);
    await page.getByLabel('API token').fill(stack.apiToken);
    await page.getByLabel('Your name (recorded on every action)').fill(actor);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(/^Open incidents, most urgent deadline first$/).waitFor();
    return page;
  }

  /** Waits for what an action should show; if it does not come, says what the page's alert line said instead. */
  async function shows(page: Page, what: ReturnType<Page['locator']>): Promise<void> {
    await what.waitFor({ timeout: 15_000 }).catch(async (error: Error) => {
      await page.screenshot({ path: join(ARTEFACTS, 'failure.png'), fullPage: true });
      throw new Error(`${error.message}\nthe page's alert line: ${await page.locator('#error').textContent()}`);
    });
  }

  const ingest = (body: unknown) =>
    fetch(`${stack.url}/alerts/generic`, { method: 'POST', headers: { authorization: `Bearer ${stack.ingestToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<{ incidentId: string }>);

  it('records the facts group by group, with the API refusing a bad count beside its field', async () => {
    ({ incidentId } = await ingest({ title: 'Customer export <script>alert(1)</script>', severity: 'critical', fingerprint: 'officer/facts', observedAt: new Date(Date.now() - 3_600_000).toISOString() }));
    dana = await signedIn('dana.dpo');
    await dana.goto(`${stack.url}/dashboard#/incident/${encodeURIComponent(incidentId)}`);
    const form = dana.locator('#facts-form');
    await form.waitFor();

    // A negative count: the API's own words, beside the field, which is marked invalid.
    await form.getByLabel('Jurisdiction 1', { exact: true }).fill('EU');
    await form.getByLabel('People affected in jurisdiction 1').fill('-3');
    await form.getByRole('button', { name: 'Record facts' }).click();
    const problem = form.locator('#error-facts-jurisdictions-0-affected');
    await problem.waitFor();
    await expect(problem.textContent()).resolves.toMatch(/>=\s*0/);
    expect(await form.getByLabel('People affected in jurisdiction 1').getAttribute('aria-invalid')).toBe('true');
    await dana.getByRole('alert').getByText(/not valid/).waitFor();

    // Corrected, with a second jurisdiction, categories, role with a controller, encryption and the time it happened.
    await form.getByLabel('People affected in jurisdiction 1').fill('1200');
    await form.getByRole('button', { name: 'Add a jurisdiction' }).click();
    await form.getByLabel('Jurisdiction 2', { exact: true }).fill('US-CA');
    await form.getByLabel('People affected in jurisdiction 2').fill('600');
    await form.getByRole('group', { name: 'Data categories' }).getByLabel('Contact details').check();
    await form.getByRole('group', { name: 'Data categories' }).getByLabel('Passwords and other credentials').check();
    await form.getByRole('group', { name: 'People categories' }).getByLabel('Customers').check();
    await form.getByLabel('Our role for this data').selectOption('processor');
    await form.getByRole('button', { name: 'Add a controller' }).click();
    await form.getByLabel('Controller 1', { exact: true }).fill('Acme Shop GmbH');
    await form.getByLabel('Controller 1: contractual deadline in hours (DPA), if any').fill('24');
    await form.getByLabel('Controller 1: people affected').fill('800');
    await form.getByLabel('Encryption of the data').selectOption('not-encrypted');
    await form.getByLabel('Occurred at (your time)').fill('2026-01-10T03:00');
    await form.getByRole('button', { name: 'Record facts' }).click();
    await dana.locator('#timeline').getByText(/recorded .*jurisdictions/).waitFor();
    await expect(dana.locator('#facts').textContent()).resolves.toMatch(/EU: 1200, US-CA: 600.*contact, credentials.*customers.*processor.*not encrypted/);
    expect(await form.locator('.field-error').count()).toBe(0);
    // Where the people live (issue 28.6): one row per jurisdiction with its people and the laws whose clocks run.
    await expect(dana.locator('#jurisdictions tr[data-code="US-CA"]').textContent()).resolves.toMatch(/^US-CA600.*California/);
    await expect(dana.locator('#jurisdictions tr[data-code="EU"]').textContent()).resolves.toMatch(/^EU1200/);
    await dana.screenshot({ path: join(ARTEFACTS, '1-facts.png'), fullPage: true });
    expect(await dana.locator('script:not([src])').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 60_000);

  it('assesses the risk with the score explained factor by factor, and decides with four eyes (never a preselected regime)', async () => {
    // On a second look we are the controller here (the controllers' list goes with the processor role).
    await dana.locator('#facts-form').getByLabel('Our role for this data').selectOption('controller');
    await dana.locator('#facts-form').getByRole('button', { name: 'Record facts' }).click();
    await shows(dana, dana.locator('#timeline').getByText(/recorded role/));
    await expect(dana.locator('#facts').textContent()).resolves.toMatch(/Rolecontroller/);
    await dana.getByLabel('Aware since (your time)').fill(await dana.evaluate(() => {
      const d = new Date(Date.now() - 30 * 60_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    }));
    await dana.getByLabel('Justification').fill('Forensics confirmed the export reached an external host');
    await dana.getByRole('button', { name: 'Confirm', exact: true }).click();
    await dana.locator('#timeline').getByText(/Confirmed as a personal-data breach by dana\.dpo/).waitFor();

    const risk = dana.locator('#risk-form');
    await risk.getByLabel('How easily people can be identified from the data').selectOption('maximum');
    await risk.getByLabel('Deliberate (theft, hacking), not an accident').check();
    await risk.getByLabel('Why this assessment').fill('Passwords taken by an attacker');
    await risk.getByRole('button', { name: 'Assess the risk' }).click();
    const explained = dana.locator('#risk-explained');
    await explained.waitFor();
    // Every part of the score has its line, and the lines add up to it.
    const lines = await explained.locator('tbody tr').evaluateAll((rows) => rows.map((row) => [row.querySelector('th')?.textContent, row.querySelector('.points')?.textContent]));
    expect(lines).toEqual([
      ['Data context × ease of identification (ENISA DPC × EI)', '+3'],
      ['Confidentiality lost', '+0.5'],
      ['Intent', '+0.5'],
      ['People affected', '+0.25'],
    ]);
    await expect(explained.locator('tfoot').textContent()).resolves.toMatch(/high risk: notify the authority and tell the people.*= 4\.25/);

    // The decision form starts with no regime chosen; the regimes carry their names.
    const regime = dana.locator('#decision-form').getByLabel('Regime');
    expect(await regime.inputValue()).toBe('');
    await expect(regime.locator('option[value="gdpr-art33"]').textContent()).resolves.toMatch(/^GDPR/);
    await regime.selectOption('gdpr-art33');
    await dana.locator('#decision-form').getByLabel('Rationale').fill('High risk to customers: tell the authority and them');
    await dana.getByRole('button', { name: 'Propose decision' }).click();
    await dana.locator('#decisions').getByText(/proposed by dana\.dpo, awaiting confirmation/).waitFor();
    // Decided (proposed): named so in the list, and still not preselected.
    await expect(regime.locator('option[value="gdpr-art33"]').textContent()).resolves.toMatch(/decided: notify, proposed by dana\.dpo/);
    expect(await regime.inputValue()).toBe('');
    // The proposer is not offered the confirmation (seen: the button was there and the API refused it).
    await dana.locator('#decisions').getByText("awaiting a second person's confirmation").waitFor();
    expect(await dana.locator('#decisions').getByRole('button', { name: /Confirm the/ }).count()).toBe(0);

    // Lena, in her own browser, confirms it: four eyes on the desk.
    const lena = await signedIn('lena.dpo');
    await lena.goto(`${stack.url}/dashboard#/incident/${encodeURIComponent(incidentId)}`);
    await lena.locator('#decisions').getByRole('button', { name: 'Confirm the GDPR Art. 33 decision (four eyes)' }).click();
    await lena.locator('#decisions').getByText(/confirmed by lena\.dpo/).waitFor();
    await dana.locator('#decisions').getByText(/confirmed by lena\.dpo/).waitFor({ timeout: 10_000 });
    await dana.screenshot({ path: join(ARTEFACTS, '2-risk-and-decision.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 60_000);

  it('drafts the authority notice, edits its elements beside the preview, approves what is shown (hash sent) and records the submission', async () => {
    const draft = dana.locator('#draft-notice-form');
    await draft.getByLabel('Notice to draft').selectOption('gdpr-authority');
    await expect(draft.getByLabel('Notice to draft').locator('option[value="gdpr-authority"]').textContent()).resolves.toMatch(/to the authority/);
    await draft.getByLabel('Language of the notice').selectOption('en');
    await draft.getByRole('button', { name: 'Draft the notice' }).click();
    const item = dana.locator('li[data-notice^="NTC-gdpr-authority"]');
    const editor = item.locator('form.notice-editor');
    await editor.waitFor();
    const noticeId = (await item.getAttribute('data-notice'))!;
    // The notice by its pack's name, not its code (issue 25.1).
    await expect(item.locator(':scope > span').first().textContent()).resolves.not.toContain(': gdpr-authority (');

    // What is missing, with its legal source, beside the notice as rendered ("[missing: …]" in it).
    const missingList = editor.locator('.missing-elements');
    await missingList.getByText('Nature of the breach: what happened (GDPR Art. 33(3)(a))').waitFor();
    await expect(editor.locator('pre.preview-text').first().textContent()).resolves.toMatch(/\[missing: Nature of the breach: what happened\]/);
    const missing = await editor.locator('.element:has(.source.missing)').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-element')!));
    expect(missing).toContain('nature');
    for (const id of missing) await editor.locator(`.element[data-element="${id}"] textarea`).fill(id === 'nature' ? 'An attacker exported our customer table <b>at night</b>.' : `Stated for ${id}.`);
    await editor.getByRole('button', { name: /^Save the edits/ }).click();
    await editor.locator('h4').getByText(/^As rendered: version 2$/).waitFor();
    expect(await editor.locator('.missing-elements').count()).toBe(0);
    await expect(editor.locator('pre.preview-text').first().textContent()).resolves.toContain('An attacker exported our customer table <b>at night</b>.');
    expect(await dana.locator('b').count()).toBe(0); // the officer's words stay text
    await dana.screenshot({ path: join(ARTEFACTS, '3-notice-editor.png'), fullPage: true });

    // Lena approves what she reads: the rendered notice and its hash; the hash shown is the hash sent.
    const lena = await signedIn('lena.dpo');
    await lena.goto(`${stack.url}/dashboard#/incident/${encodeURIComponent(incidentId)}`);
    const review = lena.locator(`li[data-notice="${noticeId}"]`);
    await review.locator('pre.rendered').getByText(/An attacker exported our customer table <b>at night<\/b>\./).waitFor();
    const shownHash = /Content hash ([0-9a-f]{64})/.exec((await review.locator('.hash').textContent())!)![1];
    await lena.screenshot({ path: join(ARTEFACTS, '4-notice-review.png'), fullPage: true });
    const approval = lena.waitForRequest((request) => request.method() === 'POST' && request.url().endsWith(`/notices/${noticeId}/actions`));
    await review.getByRole('button', { name: 'Approve the content shown (version 2)' }).click();
    expect(JSON.parse((await approval).postData()!)).toMatchObject({ action: 'approve', expectedVersion: 2, expectedContentHash: shownHash });
    await shows(lena, review.getByText(/approved by lena\.dpo/));

    // The submission, with the authority's reference.
    const submission = review.locator('form.submission-form');
    await submission.getByLabel("The recipient's reference (case number, receipt id)").fill('DPC-2026-0815');
    await submission.getByRole('button', { name: 'Record the submission' }).click();
    await lena.locator('#timeline li').filter({ hasText: 'DPC-2026-0815' }).first().waitFor();
    await review.getByText(/submitted ref DPC-2026-0815/).waitFor();
    expect(errors).toEqual([]);
  }, 90_000);

  it('drafts the people notice beside its live preview in every format, compares versions, uploads the list (a bad line reported, then a good list), approves what is shown with both hashes, sends it and watches it reach 100 %', async () => {
    const draft = dana.locator('#draft-notice-form');
    await draft.getByLabel('Notice to draft').selectOption('gdpr-people');
    await draft.getByLabel('Language of the notice').selectOption('en');
    await draft.getByRole('button', { name: 'Draft the notice' }).click();
    const item = dana.locator('li[data-notice^="NTC-gdpr-people"]');
    const editor = item.locator('form.notice-editor');
    await shows(dana, editor);
    const noticeId = (await item.getAttribute('data-notice'))!;

    // The preview beside the editor: the HTML email in a sandboxed frame (no scripts, no origin of its own), the
    // plain text and the SMS; what is missing named with its legal source.
    const frame = editor.locator('iframe.email-frame');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('');
    const email = editor.frameLocator('iframe.email-frame');
    await email.locator('h1').waitFor();
    await expect(email.locator('body').textContent()).resolves.toMatch(/\[missing: What happened\]/);
    await editor.locator('.missing-elements').getByText('What happened (GDPR Art. 34(2) (nature of the breach))').waitFor();
    await expect(editor.locator('pre.preview-text.sms').textContent()).resolves.toMatch(/^Shopwise GmbH: a data breach involved your personal data/);
    await editor.locator('.element[data-element="nature"] textarea').fill('Someone copied our customer list <img src=x onerror=alert(1)>.\nWe closed the gap the same night.');
    await editor.locator('.element[data-element="likely-consequences"] textarea').fill('You may receive phishing emails.');
    await editor.locator('.element[data-element="what-to-do"] textarea').fill('Change your password.');
    for (const id of await editor.locator('.element:has(.source.missing)').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-element')!))) {
      if (!['nature', 'likely-consequences', 'what-to-do'].includes(id)) await editor.locator(`.element[data-element="${id}"] textarea`).fill(`Stated for ${id}.`);
    }
    await editor.getByRole('button', { name: /^Save the edits/ }).click();
    await shows(dana, editor.locator('h4').getByText(/^As rendered: version 2$/));
    // Refreshed after the saved edit: the officer's words in the email (as text, never markup), the text and no missing list.
    await email.getByText('Someone copied our customer list <img src=x onerror=alert(1)>.').waitFor();
    expect(await email.locator('img').count()).toBe(0);
    await expect(editor.locator('pre.preview-text').nth(0).textContent()).resolves.toContain('We closed the gap the same night.');
    expect(await editor.locator('.missing-elements').count()).toBe(0);

    // A second edit, then versions 2 and 3 compared element by element.
    await editor.locator('.element[data-element="what-to-do"] textarea').fill('Change your password.\nWatch for emails asking for it.');
    await editor.getByRole('button', { name: /^Save the edits/ }).click();
    await shows(dana, editor.locator('h4').getByText(/^As rendered: version 3$/));
    const versions = item.locator(`details[data-versions="${noticeId}"]`);
    await versions.locator('summary').click();
    await versions.locator('.version-list li').nth(2).waitFor();
    expect(await versions.locator('.version-list li').count()).toBe(3);
    await expect(versions.locator('.version-list li').nth(2).textContent()).resolves.toMatch(/^Version 3 by dana\.dpo .*changed What you can do/);
    const diff = versions.locator('.version-diff');
    await expect(diff.locator('h5').allTextContents()).resolves.toEqual(['What you can do']);
    await expect(diff.locator('.diff-same').allTextContents()).resolves.toEqual(['  Change your password.\n']);
    await expect(diff.locator('.diff-added').allTextContents()).resolves.toEqual(['+ Watch for emails asking for it.\n']);
    await versions.getByLabel('Compare version').selectOption('1');
    await expect(diff.locator('h5').allTextContents()).resolves.toEqual(expect.arrayContaining(['What happened', 'What you can do']));

    // The list: one bad line is reported by its line, the rest attached; then a good list replaces it.
    const upload = item.locator('.recipient-upload');
    const csv = (rows: string[]) => ({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(['email,name,region', ...rows].join('\n')) });
    const file = upload.getByLabel('The affected people (CSV: email, phone, name, language, region)');
    // A list without one valid row is refused: the API's words beside the form and in the alert line.
    await file.setInputFiles(csv(['nobody-at-all,Bo,FR']));
    await upload.getByRole('button', { name: 'Upload the list' }).click();
    await shows(dana, upload.locator('.field-error').getByText('Upload refused: No valid recipient in 1 rows; first problems: line 2: not a valid email address'));
    await dana.getByRole('alert').getByText(/No valid recipient in 1 rows/).waitFor();
    // Over 5 MB: through the upload URL (locally the stack's own origin), then attached by its object key.
    const padding = Array.from({ length: 27_000 }, (_, i) => `pad${String(i).padStart(5, '0')}@example.com,${'P'.repeat(180)},DE`);
    const large = csv(['ana@example.com,Ana,DE', 'not-an-address,Bo,FR', 'cy@example.com,Cy,US-CA', ...padding]);
    expect(large.buffer.byteLength).toBeGreaterThan(5 * 1024 * 1024);
    const viaUploadUrl = dana.waitForRequest((request) => request.method() === 'POST' && request.url().endsWith(`/notices/${noticeId}/recipients/upload-url`));
    const putToStore = dana.waitForRequest((request) => request.method() === 'PUT' && request.url().startsWith(`${stack.url}/local/uploads?`));
    const attach = dana.waitForRequest((request) => request.method() === 'POST' && request.url().endsWith(`/notices/${noticeId}/recipients`));
    await file.setInputFiles(large);
    await upload.getByRole('button', { name: 'Upload the list' }).click();
    await Promise.all([viaUploadUrl, putToStore]);
    expect(JSON.parse((await attach).postData()!)).toEqual({ objectKey: expect.stringMatching(new RegExp(`^recipients/${incidentId}/${noticeId}/`)) });
    const badLine = upload.locator('.list-errors tbody tr[data-line="3"]');
    await shows(dana, badLine);
    await expect(badLine.locator('td').allTextContents()).resolves.toEqual(['3', 'email', 'not a valid email address']);
    await expect(upload.locator('.list-summary').textContent()).resolves.toMatch(/^27002 valid recipients of 27003 rows · 1 refused/);
    const good = ['ana@example.com,Ana,DE', 'bo@example.com,Bo,FR', 'cy@example.com,Cy,US-CA', 'di@example.com,Di,AT'];
    await file.setInputFiles(csv(good));
    await upload.getByRole('button', { name: 'Upload a new list (replaces the attached one)' }).click();
    await shows(dana, upload.locator('.list-summary').getByText(/^4 valid recipients of 4 rows · 0 refused · list hash [0-9a-f]{64}/));
    expect(await upload.locator('.list-errors').count()).toBe(0);
    const listHash = /list hash ([0-9a-f]{64})/.exec((await upload.locator('.list-summary').textContent())!)![1];
    await shows(dana, upload.locator('.list-regions tr[data-code="EU"]').getByText('3'));
    // Once the desk re-reads the notice, each jurisdiction is set against the recorded facts.
    await shows(dana, upload.locator('.list-regions tr[data-code="US-CA"]').getByText('600 (differs)'));
    await expect(upload.locator('.list-regions tr[data-code="US-CA"] td').allTextContents()).resolves.toEqual(['1', '600 (differs)']);
    await expect(upload.locator('.list-regions tr[data-code="EU"] td').allTextContents()).resolves.toEqual(['3', '1200 (differs)']);

    // Lena reads exactly what she approves: every format, the content hash, the list's count and hash.
    const lena = await signedIn('lena.dpo');
    await lena.goto(`${stack.url}/dashboard#/incident/${encodeURIComponent(incidentId)}`);
    const review = lena.locator(`li[data-notice="${noticeId}"] details.review`);
    await shows(lena, review.locator('.hash').getByText(`4 valid recipients of 4 · list hash ${listHash}`, { exact: false }));
    await review.frameLocator('iframe.email-frame').getByText('Watch for emails asking for it.').waitFor();
    await expect(review.locator('pre.rendered').first().textContent()).resolves.toContain('Someone copied our customer list <img src=x onerror=alert(1)>.');
    const shownHash = /Content hash ([0-9a-f]{64})/.exec((await review.locator('.hash').textContent())!)![1];
    await lena.screenshot({ path: join('test-results', 'desk-notice-review.png'), fullPage: true });
    const approval = lena.waitForRequest((request) => request.method() === 'POST' && request.url().endsWith(`/notices/${noticeId}/actions`));
    await lena.locator(`li[data-notice="${noticeId}"]`).getByRole('button', { name: 'Approve the content shown (version 3)' }).click();
    expect(JSON.parse((await approval).postData()!)).toMatchObject({ action: 'approve', expectedVersion: 3, expectedContentHash: shownHash, expectedRecipientsHash: listHash });
    await shows(lena, lena.locator(`li[data-notice="${noticeId}"]`).getByText(/approved by lena\.dpo/));

    // Dana sends it and watches the bar reach 100 %: every recipient accounted for, nobody parked.
    const send = item.getByRole('button', { name: 'Send to the affected people' });
    await shows(dana, send);
    await send.click();
    const progress = item.getByRole('progressbar', { name: `Delivery of ${noticeId}` });
    await shows(dana, progress);
    await waitFor(async () => ((await progress.getAttribute('value')) === '100' ? true : undefined), 'the delivery bar at 100 %', { timeoutMs: 30_000, intervalMs: 250 });
    await shows(dana, item.locator('.progress-text').getByText(/100 %: 4 sent, .*0 failed, 0 parked for review, .*4 of 4 accounted for/));
    expect(await item.locator('table.needs-review').count()).toBe(0);
    await dana.screenshot({ path: join('test-results', 'desk-send-progress.png'), fullPage: true });
    await shows(dana, item.getByText(/, sent, version 3, approved by lena\.dpo/));
    expect(await dana.locator('script:not([src])').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows the register with its filters: the decision, who decided, and the submission', async () => {
    await dana.getByRole('link', { name: 'Register' }).click();
    const row = dana.locator(`#register-rows tr[data-incident="${incidentId}"]`);
    await shows(dana, row);
    await expect(row.textContent()).resolves.toMatch(/notify \(dana\.dpo \+ lena\.dpo\).*DPC-2026-0815/);
    await dana.screenshot({ path: join(ARTEFACTS, '5-register.png'), fullPage: true });
    await dana.getByLabel('Outcome').selectOption('dismissed');
    await dana.getByRole('button', { name: 'Show' }).click();
    await shows(dana, dana.getByText('No entries for these filters.'));
    expect(errors).toEqual([]);
  }, 60_000);
});
