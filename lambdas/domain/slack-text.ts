/**
 * The one escaping function for untrusted text (alert titles, people's words, tool names) on its way into
 * Slack: `&`, `<` and `>` become entities, so no `<!channel>`, `<@U…>`, `<#C…>` or `<https://…|disguised>`
 * can be planted; control characters (NUL, ESC, CR, bidi overrides) are removed. Mentions that breachclock
 * itself adds (from the ladder's configuration) are put in front of escaped text, never inside it.
 */
import { stripControl } from './control-characters.js';

export function escapeSlack(text: string): string {
  return stripControl(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
