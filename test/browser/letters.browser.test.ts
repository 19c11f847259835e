import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { chromium, type Browser } from 'playwright-core';
import { startLocalStack, type LocalStack } from '../../local/local-stack.js';
import { renderPdfPage } from '../support/render-pdf.js';
import { waitFor } from '../support/wait.js';

const ARTEFACTS = join(process.cwd(), 'test-results', 'letters');
const chromiumPath = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

/**
 * Issue 26.5: "The desk lists and opens the PDFs; a browser test opens one." A people notice goes to a list where
 * two people have only a postal address; once sent, the desk lists their letters and the batch with hashes, and
 * "Open" fetches a letter with the session's token (never in a URL) and opens it: a PDF, US Letter for the US
 * address, carrying the approved content's hash.
 */
describe('letters on the desk', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'breachclock-letters-'));
  let stack: LocalStack;
  let browser: Browser;

  beforeAll(async () => {
    if (!chromiumPath) throw new Error('Chromium not found: npm test installs it (scripts/preflight.mjs), or set CHROMIUM_PATH');
    mkdirSync(ARTEFACTS, { recursive: true });
    stack = await startLocalStack({
      dataDir,
      port: 0,
      clockIntervalMs: 500,
      streamIntervalMs: 100,
      env: { ORGANISATION: JSON.stringify({ name: 'Shopwise GmbH', dpo: { name: 'Dana Pohl', email: 'dpo@shopwise.example' }, postalAddress: 'Hauptstraße 1, 10115 Berlin' }), SES_SEND_RATE: '200' },
    });
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const api = async (method: string, path: string, body?: unknown, actor = 'dana.dpo', contentType = 'application/json') => {
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.apiToken}`, 'content-type': contentType, 'x-actor': actor },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('lists a sent notice\'s letters with their hashes and opens one: a PDF whose SHA-256 the desk lists', async () => {
    const ingest = await fetch(`${stack.url}/alerts/generic`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.ingestToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Customer table exported', severity: 'critical', fingerprint: 'letters/desk', observedAt: new Date(Date.now() - 120_000).toISOString() }),
    });
    const { incidentId } = (await ingest.json()) as { incidentId: string };
    const act = (body: unknown, actor = 'dana.dpo') => api('POST', `/api/incidents/${incidentId}/actions`, body, actor);
    expect((await act({ action: 'confirm', awareAt: new Date(Date.now() - 60_000).toISOString(), justification: 'Forensics confirmed the export' })).status).toBe(200);
    expect((await act({ action: 'record-facts', facts: { jurisdictions: [{ code: 'EU', affected: 3 }], dataCategories: ['contact', 'credentials'], peopleCategories: ['customers'] } }, 'rita.dpo')).status).toBe(200);
    expect((await act({ action: 'assess-risk', input: { breachTypes: ['confidentiality'], easeOfIdentification: 'maximum', malicious: true }, rationale: 'Passwords exfiltrated' })).status).toBe(200);
    expect((await act({ action: 'propose-decision', regime: 'gdpr-art33', notify: true, rationale: 'High risk: notify the people' })).status).toBe(200);
    expect((await act({ action: 'confirm-decision', regime: 'gdpr-art33' }, 'lena.dpo')).status).toBe(200);
    const created = await api('POST', `/api/incidents/${incidentId}/notices`, {
      kind: 'gdpr-people',
      language: 'en',
      fields: { nature: 'An attacker exported our customer table.', 'likely-consequences': 'Phishing.', 'measures-taken': 'We reset passwords.', 'what-to-do': 'Change your password now.' },
    });
    expect(created.status).toBe(201);
    const noticeId = created.body.notice.noticeId as string;
    const notice = `/api/incidents/${incidentId}/notices/${noticeId}`;
    const list = ['email,name,address1,city,state,postcode,country', 'anna@example.com,Anna,,,,,', ',Jürgen Groß,Lindenallee 7,München,,80331,DE', ',Eve Roe,1 Main St,Springfield,IL,62701,US'].join('\n');
    expect((await api('PUT', `${notice}/recipients`, list, 'dana.dpo', 'text/csv')).body.recipients).toMatchObject({ valid: 3 });
    const review = (await api('GET', notice)).body;
    const approved = await api('POST', `${notice}/actions`, { action: 'approve', expectedVersion: review.notice.version, expectedContentHash: review.contentHash, expectedRecipientsHash: review.recipients.sha256 }, 'lena.dpo');
    expect(approved.body.notice.status).toBe('approved');
    expect((await api('POST', `${notice}/actions`, { action: 'send' })).status).toBe(200);
    await waitFor(async () => ((await api('GET', notice)).body.notice.status === 'sent' ? true : undefined), 'the notice to be sent', { timeoutMs: 60_000, intervalMs: 300 });
    await waitFor(async () => ((await api('GET', `${notice}/letters`)).body.batch ? true : undefined), 'the letters and their batch', { timeoutMs: 30_000, intervalMs: 300 });

    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${stack.url}/dashboard`);
    await page.getByLabel('API token').fill(stack.apiToken);
    await page.getByLabel('Your name (recorded on every action)').fill('dana.dpo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.goto(`${stack.url}/dashboard#/incident/${encodeURIComponent(incidentId)}`);
    const letters = page.locator(`section.letters[aria-label="Letters of ${noticeId}"]`);
    await letters.waitFor({ timeout: 20_000 });
    await expect(letters.locator('h4').textContent()).resolves.toBe('Letters (2)');
    await expect(letters.textContent()).resolves.toMatch(/Print-ready batch \(all letters\) SHA-256 [0-9a-f]{64}/);
    // No address or name on the desk's list: a letter is named by its recipient key.
    await expect(letters.textContent()).resolves.not.toMatch(/Jürgen|Eve Roe|Lindenallee/);
    await page.screenshot({ path: join(ARTEFACTS, 'desk-letters.png'), fullPage: true });

    // "Open": the desk fetches the PDF with its token and opens it from a blob URL in a new tab.
    const pdfResponse = page.waitForResponse((response) => /\/letters\/[^/]+$/.test(new URL(response.url()).pathname) && response.request().method() === 'GET');
    const popup = page.waitForEvent('popup');
    await letters.locator('li.letter a').nth(1).click();
    const response = await pdfResponse;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    expect(response.request().headers().authorization).toBe(`Bearer ${stack.apiToken}`);
    expect(new URL(response.url()).search).toBe(''); // the token travels in a header, never in the URL
    const tab = await popup;
    expect(tab.url()).toMatch(/^blob:/);
    // The bytes the desk opened: the same letter read through the API, whose hash the desk lists beside it.
    const opened = await fetch(response.url(), { headers: { authorization: `Bearer ${stack.apiToken}`, 'x-actor': 'dana.dpo' } });
    const bytes = Buffer.from(await opened.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const shown = await letters.locator('li.letter').nth(1).textContent();
    expect(shown).toContain(createHash('sha256').update(bytes).digest('hex'));
    writeFileSync(join(ARTEFACTS, 'letter.pdf'), bytes);
    const pdf = await PDFDocument.load(bytes);
    const { width, height } = pdf.getPage(0).getSize();
    // US Letter (612 × 792 pt) for the Illinois address, A4 (595.28 × 841.89 pt) for the one in Munich.
    expect([`${Math.round(width)}x${Math.round(height)}`]).toEqual([expect.stringMatching(/^(612x792|595x842)$/)]);

    // Each letter rendered by an independent reader (Mozilla's pdf.js in Chromium) to PNG, as a person's viewer shows
    // it: not blank, the recipient's name and address inside the envelope's window, the approved content's hash in print.
    const listing = (await api('GET', `${notice}/letters`)).body as { letters: { name: string }[] };
    const papers: string[] = [];
    for (const { name } of listing.letters) {
      const letter = await fetch(`${stack.url}${notice}/letters/${name}`, { headers: { authorization: `Bearer ${stack.apiToken}`, 'x-actor': 'dana.dpo' } });
      expect(letter.status).toBe(200);
      const rendered = await renderPdfPage(browser, Buffer.from(await letter.arrayBuffer()));
      const us = Math.round(rendered.widthPt) === 612;
      papers.push(us ? 'us-letter' : 'a4');
      writeFileSync(join(ARTEFACTS, `letter-${us ? 'us-letter' : 'a4'}.png`), rendered.png);
      expect(rendered.png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(rendered.inked).toBeGreaterThan(0.01);
      // The window: #10 envelope (from 2 1/8" below the top, 1 1/8" high) or DIN 5008 form B (45 to 90 mm).
      const [windowTop, windowBottom] = us ? [2.125 * 72, 3.25 * 72] : [45 * (72 / 25.4), 90 * (72 / 25.4)];
      const recipient = rendered.text.find((t) => (us ? /Eve Roe/ : /J.rgen Gro/).test(t.text));
      // A US city line is in capitals, as USPS asks (SPRINGFIELD IL 62701).
      const city = rendered.text.find((t) => (us ? /SPRINGFIELD IL 62701/ : /80331 M.nchen/).test(t.text));
      expect([name, recipient?.top && recipient.top > windowTop && recipient.top < windowBottom]).toEqual([name, true]);
      expect([name, city?.top && city.top > recipient!.top && city.top < windowBottom]).toEqual([name, true]);
      expect(rendered.text.map((t) => t.text).join(' ')).toContain(review.contentHash);
    }
    expect(papers.sort()).toEqual(['a4', 'us-letter']);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
