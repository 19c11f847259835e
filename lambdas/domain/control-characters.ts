/**
 * Control characters (NUL, ESC, CR, the C1 range, bidi overrides and marks) are removed from text shown to
 * people: notices, Slack, terminals. Tab and line feed stay.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function stripControl(text: string): string {
  return text.replace(CONTROL, '');
}
