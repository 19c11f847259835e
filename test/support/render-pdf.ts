import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';

/** A run of text on the rendered page, in PDF points from the page's top-left corner. */
export interface RenderedText {
  readonly text: string;
  readonly x: number;
  readonly top: number;
}

export interface RenderedPage {
  readonly png: Buffer;
  readonly widthPt: number;
  readonly heightPt: number;
  readonly pages: number;
  readonly text: readonly RenderedText[];
  /** Share of the canvas's pixels that are not white (a blank render is 0). */
  readonly inked: number;
}

const ORIGIN = 'http://pdf-render.invalid';

/**
 * Renders page `pageNumber` of a PDF to PNG with Mozilla's pdf.js inside headless Chromium: an independent reader
 * (not the library that wrote it), so a letter is checked as a printer's or a person's viewer would show it.
 * The page is served from an origin no network resolves (every request is answered by the route below).
 */
export async function renderPdfPage(browser: Browser, pdf: Uint8Array, pageNumber = 1, scale = 2): Promise<RenderedPage> {
  const require = createRequire(import.meta.url);
  const lib = readFileSync(require.resolve('pdfjs-dist/legacy/build/pdf.min.mjs'));
  const worker = readFileSync(require.resolve('pdfjs-dist/legacy/build/pdf.worker.min.mjs'));
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/pdf.mjs') return route.fulfill({ body: lib, contentType: 'text/javascript' });
      if (path === '/pdf.worker.mjs') return route.fulfill({ body: worker, contentType: 'text/javascript' });
      if (path === '/letter.pdf') return route.fulfill({ body: Buffer.from(pdf), contentType: 'application/pdf' });
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><html><body style="margin:0;background:#fff"><canvas id="page"></canvas></body></html>' });
    });
    await page.goto(`${ORIGIN}/`);
    const result = await page.evaluate(
      async ({ pageNumber, scale }) => {
        const pdfjs = await import('/pdf.mjs' as string);
        pdfjs.GlobalWorkerOptions.workerSrc = '/pdf.worker.mjs';
        const doc = await pdfjs.getDocument({ url: '/letter.pdf' }).promise;
        const pdfPage = await doc.getPage(pageNumber);
        const viewport = pdfPage.getViewport({ scale });
        // Runs in the page (the test's tsconfig has no DOM types).
        const canvas = (globalThis as any).document.getElementById('page');
        canvas.width = Math.ceil(viewport.width);
        canvas.height = Math.ceil(viewport.height);
        const context = canvas.getContext('2d');
        await pdfPage.render({ canvas, canvasContext: context, viewport }).promise;
        const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data as Uint8ClampedArray;
        let inked = 0;
        for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 250 || pixels[i + 1]! < 250 || pixels[i + 2]! < 250) inked++;
        const base = pdfPage.getViewport({ scale: 1 });
        const content = await pdfPage.getTextContent();
        const text = (content.items as { str?: string; transform?: number[] }[])
          .filter((item) => typeof item.str === 'string' && item.str.trim() !== '' && item.transform)
          .map((item) => ({ text: item.str!, x: item.transform![4]!, top: base.height - item.transform![5]! }));
        return { widthPt: base.width, heightPt: base.height, pages: doc.numPages as number, text, inked: inked / (pixels.length / 4) };
      },
      { pageNumber, scale },
    );
    if (errors.length) throw new Error(`pdf.js failed in Chromium: ${errors.join('; ')}`);
    const png = await page.locator('#page').screenshot({ type: 'png' });
    return { ...result, png };
  } finally {
    await context.close();
  }
}
