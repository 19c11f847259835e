import { useEffect, useState } from 'preact/hooks';
import type { NoticeListItem } from '../../../contracts/api-answers.js';
import { api, authHeaders, noticePath } from '../api.js';
import { html } from '../html.js';

/** GET …/letters (issue 26.5): each letter's name (a recipient key, no address), SHA-256 and size, and the batch. */
interface LetterRow {
  readonly name: string;
  readonly sha256: string;
  readonly bytes: number;
}
interface LettersAnswer {
  readonly letters: readonly LetterRow[];
  readonly batch?: LetterRow;
}

/**
 * The letters of a notice sent to people without email (issue 26.5): listed with their hashes; "Open" fetches
 * the PDF with the session's token (a letter holds a name and an address: the API asks for DPO or legal) and
 * shows it in a new tab from a blob URL, so no token ever goes into a URL.
 */
export function NoticeLetters({ notice }: { readonly notice: NoticeListItem }) {
  const [answer, setAnswer] = useState<LettersAnswer>();
  const [problem, setProblem] = useState<string>();
  const base = `${noticePath(notice.incidentId, notice.noticeId)}/letters`;
  useEffect(() => {
    api<LettersAnswer>('GET', base)
      .then(setAnswer)
      .catch((error: unknown) => setProblem((error as Error).message));
  }, [base, notice.status]);
  const open = async (name: string) => {
    const response = await fetch(`${base}/${encodeURIComponent(name)}`, { headers: authHeaders() });
    if (!response.ok) return setProblem(`${name}: ${response.status} ${response.statusText}`);
    window.open(URL.createObjectURL(await response.blob()), '_blank', 'noopener');
  };
  const row = (letter: LetterRow, label: string) =>
    html`<li class="letter">
      <a href=${`${base}/${letter.name}`} data-letter=${letter.name} onClick=${(event: Event) => (event.preventDefault(), void open(letter.name))}>${label}</a>
      <span class="hash">${` SHA-256 ${letter.sha256} · ${Math.ceil(letter.bytes / 1024)} KB`}</span>
    </li>`;
  if (problem) return html`<p class="letters-problem" role="alert">${`Letters: ${problem}`}</p>`;
  if (!answer || (!answer.letters.length && !answer.batch)) return null;
  return html`<section class="letters" aria-label=${`Letters of ${notice.noticeId}`}>
    <h4>${`Letters (${answer.letters.length})`}</h4>
    <ul>
      ${answer.batch ? row(answer.batch, 'Print-ready batch (all letters)') : null}
      ${answer.letters.map((letter, i) => row(letter, `Letter ${i + 1}`))}
    </ul>
  </section>`;
}
