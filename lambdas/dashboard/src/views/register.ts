import { authHeaders } from '../api.js';
import { html } from '../html.js';

/** The Art. 33(5) register as CSV (GET /api/register?format=csv), saved as a file. */
export function RegisterExport({ onError }: { readonly onError: (error: unknown) => void }) {
  const download = async () => {
    try {
      const response = await fetch('/api/register?format=csv', { headers: authHeaders() });
      if (!response.ok) throw new Error(`Register export failed (${response.status})`);
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = 'breach-register.csv';
      document.body.append(link);
      link.click();
      link.remove();
      URL.revokeObjectURL(url);
    } catch (error) {
      onError(error);
    }
  };
  return html`<button type="button" id="register-csv" onClick=${download}>Export register (CSV)</button>`;
}
