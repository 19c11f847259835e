/** A `style` attribute of the template's markup, and `<style>` or `<link>` elements. */
const STYLE_ATTRIBUTE = /\sstyle\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;
const STYLE_ELEMENTS = /<style\b[\s\S]*?<\/style\s*>|<link\b[^>]*>/gi;

/**
 * The HTML email as the sandboxed frame shows it. The frame (`sandbox` without `allow-scripts` or
 * `allow-same-origin`: no script runs, the frame has an opaque origin and cannot reach the desk) inherits the
 * desk's content security policy, which refuses inline styles (each refusal a console error); so the
 * template's `style` attributes and `<style>`/`<link>` elements are taken out here, and the desk says so.
 * This works on the markup's text, not a parsed document: Chromium checks a DOMParser document's inline
 * styles against the desk's policy too. It is safe because the server escapes every value it puts in the
 * email (`&`, `<`, `>`, quotes, `=`, `/`, backtick: lambdas/domain/notices/draft.ts), so `style=` can only be
 * the template's own markup; and whatever the markup holds, it stays inside the sandbox.
 */
export function emailForFrame(markup: string): { readonly srcdoc: string; readonly stylesLeftOut: number } {
  let stylesLeftOut = 0;
  const srcdoc = markup
    .replace(STYLE_ELEMENTS, () => {
      stylesLeftOut++;
      return '';
    })
    .replace(STYLE_ATTRIBUTE, () => {
      stylesLeftOut++;
      return '';
    });
  return { srcdoc, stylesLeftOut };
}
