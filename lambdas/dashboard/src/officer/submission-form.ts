import { useState } from 'preact/hooks';
import type { NoticeListItem } from '../../../contracts/api-answers.js';
import type { NoticeActionBody } from '../../../contracts/notice-api.js';
import { useField } from '../desk.js';
import { html } from '../html.js';
import { fromLocalInput, useRefusal } from './forms.js';

type Act = (noticeId: string, action: NoticeActionBody, onRefused?: (error: unknown) => void) => Promise<boolean>;

/**
 * Record that an approved notice was submitted (to the authority's portal, the controller, …): the recipient's
 * reference, and when (default: now on the stack's clock, so never before the approval).
 */
export function SubmissionForm({ notice, act }: { readonly notice: NoticeListItem; readonly act: Act }) {
  const reference = useField();
  const at = useField();
  const refusal = useRefusal();
  const [busy, setBusy] = useState(false);
  const submit = (event: Event) => {
    event.preventDefault();
    if (busy) return;
    refusal.clear();
    setBusy(true);
    const submittedAt = fromLocalInput(at.value);
    void act(notice.noticeId, { action: 'record-submission', reference: reference.value, ...(submittedAt ? { submittedAt } : {}) }, refusal.onRefused).finally(() => setBusy(false));
  };
  const idOf = (what: string) => `submission-${what}-${notice.noticeId}`;
  const problem = refusal.at('reference');
  const when = refusal.at('submittedAt');
  return html`<form class="action-form submission-form" onSubmit=${submit}>
    <fieldset>
      <legend>${`Record the submission of ${notice.noticeId}`}</legend>
      <label for=${idOf('reference')}>The recipient's reference (case number, receipt id)</label>
      <input id=${idOf('reference')} value=${reference.value} onInput=${reference.onInput} aria-invalid=${problem.invalid} aria-describedby=${problem.describedBy} />
      ${problem.message}
      <label for=${idOf('at')}>Submitted at (your time; empty: now)</label>
      <input id=${idOf('at')} type="datetime-local" value=${at.value} onInput=${at.onInput} aria-invalid=${when.invalid} aria-describedby=${when.describedBy} />
      ${when.message}
      <button type="submit" disabled=${busy}>Record the submission</button>
    </fieldset>
  </form>`;
}
