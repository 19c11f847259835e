/**
 * The one escaping function for untrusted text (alert titles, people's words, tool names) on its way into
 * Slack: `&`, `<` and `>` become entities, so no `<!channel>`, `<@U…>`, `<#C…>` or `<https://…|disguised>`
 * can be planted; control characters (NUL, ESC, CR, bidi overrides) are removed. Mentions that breachclock
 * itself adds (from the ladder's configuration) are put in front of escaped text, never inside it.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000d\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function escapeSlack(text: string): string {
  return text.replace(CONTROL, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
