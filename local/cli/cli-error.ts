import { stripControl } from '../../lambdas/domain/control-characters.js';

/** A failure the command line reports as its message alone, with its exit code (1 refused or failed, 2 usage, configuration or connection). */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: 1 | 2) {
    super(message);
  }
}

/**
 * What a terminal must not be given raw from alert or officer text: C0 controls but tab and line feed (ESC
 * starts escape sequences, CR overwrites a line), DEL, C1 (U+009B is a one-character CSI), the bidi marks,
 * embeddings, overrides and isolates (U+202E turns "exe.txt" into "txt.exe"), the Arabic letter mark and the
 * line and paragraph separators.
 */
// eslint-disable-next-line no-control-regex
export const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
export const TERMINAL_UNSAFE_BUT_CRLF = /\r(?!\n)|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** A character as \uXXXX. */
export const escaped = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Terminal-safe: alert and officer text never brings escape sequences or bidi overrides to a terminal. */
export const safe = (value: unknown) => stripControl(String(value ?? '')).replace(TERMINAL_UNSAFE, '');
