import { useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { html } from '../html.js';

/**
 * The API's own refusal of a form, beside the fields it names: each detail's `path` (e.g.
 * `facts.jurisdictions.0.affected`) is shown under the field whose path it starts with. The whole refusal also
 * goes to the page's one alert line (the desk's error); these are plain text with aria-describedby, not alerts.
 */
export function useRefusal() {
  const [refusal, setRefusal] = useState<ApiError>();
  const messagesAt = (prefix: string): string[] =>
    (refusal?.answer?.details ?? []).filter((d) => d.path === prefix || d.path.startsWith(`${prefix}.`)).map((d) => d.message);
  return {
    refusal,
    clear: () => setRefusal(undefined),
    onRefused: (error: unknown) => {
      if (error instanceof ApiError) setRefusal(error);
    },
    /** The messages for a field, and the id the field's aria-describedby names. */
    at: (prefix: string) => {
      const messages = messagesAt(prefix);
      const id = `error-${prefix.replace(/[^A-Za-z0-9-]/g, '-')}`;
      return {
        describedBy: messages.length ? id : undefined,
        invalid: messages.length ? 'true' : undefined,
        message: messages.length ? html`<p class="field-error" id=${id}>${messages.join('; ')}</p>` : null,
      };
    },
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as a datetime-local value in the viewer's zone. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (the viewer's zone) as an ISO instant; empty stays undefined. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const at = new Date(value);
  return Number.isFinite(at.getTime()) ? at.toISOString() : value;
}

/** The value of the element an input event came from. */
export const valueOf = (event: Event): string => (event.currentTarget as HTMLInputElement).value;
export const checkedOf = (event: Event): boolean => (event.currentTarget as HTMLInputElement).checked;
