import { useState } from 'preact/hooks';
import type { NoticeListItem, RecipientsAnswer, UploadTargetAnswer } from '../../../contracts/api-answers.js';
import { api, deskConfig, MAX_DIRECT_UPLOAD_BYTES, noticePath, putToUploadTarget } from '../api.js';
import { useDesk } from '../desk.js';
import { html } from '../html.js';

type ListInfo = NonNullable<RecipientsAnswer['recipients']>;

/**
 * Sends a list the way the API documents: up to 5 MB as the body of `PUT …/recipients` (text/csv), locally and
 * on AWS; a larger one to an upload URL (`POST …/recipients/upload-url`), then `POST …/recipients {objectKey}`
 * validates it from the store. The desk's content security policy lets it reach its own origin (the local stack's
 * upload URL) and, on AWS, the recipient list bucket's origin (`uploadOrigin` in its configuration; the bucket's
 * CORS rule allows PUT from the execute-api domain). Any other upload URL: the CLI's `recipients` command.
 */
async function uploadList(incidentId: string, noticeId: string, file: File): Promise<RecipientsAnswer> {
  const path = `${noticePath(incidentId, noticeId)}/recipients`;
  if (file.size <= MAX_DIRECT_UPLOAD_BYTES) return api<RecipientsAnswer>('PUT', path, await file.text(), 'text/csv');
  const target = await api<UploadTargetAnswer>('POST', `${path}/upload-url`);
  const config = deskConfig();
  const reachable = [location.origin, ...(config.auth === 'cognito' && config.uploadOrigin ? [config.uploadOrigin] : [])];
  if (!reachable.includes(new URL(target.url, location.href).origin)) {
    throw new Error(`The list is ${(file.size / 1_048_576).toFixed(1)} MB: over the 5 MB the API takes directly, and the desk may not reach the store's upload URL (its content security policy). Upload it with: npx breachclock recipients ${incidentId} ${noticeId} <file>`);
  }
  await putToUploadTarget(target, file);
  return api<RecipientsAnswer>('POST', path, { objectKey: target.objectKey });
}

/** The validation report: counts, the list's hash, and each bad row by line (never the row's content). */
export function listReport(list: ListInfo, differFromFacts?: readonly { readonly code: string; readonly list: number; readonly facts: number | null }[]) {
  const { errors } = list;
  const regions = list.regions;
  return html`<div class="list-report" data-list=${list.sha256}>
    <p class="list-summary">${`${list.valid} valid recipients of ${list.rows} rows · ${list.invalid} refused · list hash ${list.sha256} · uploaded by ${list.uploadedBy}`}</p>
    ${errors.length
      ? html`<table class="list-errors">
          <caption>${`Rows refused${list.invalid > errors.length ? ` (the first ${errors.length} of ${list.invalid})` : ''}: not sent to; correct them and upload the list again`}</caption>
          <thead><tr><th scope="col">Line</th><th scope="col">Column</th><th scope="col">What was wrong</th></tr></thead>
          <tbody>${errors.map((e, i) => html`<tr key=${`${e.line}-${i}`} data-line=${e.line}><td>${String(e.line)}</td><td>${e.column ?? 'the row'}</td><td>${e.message}</td></tr>`)}</tbody>
        </table>`
      : null}
    ${regions
      ? html`<table class="list-regions">
          <caption>Where the valid recipients live (the list's region column)</caption>
          <thead><tr><th scope="col">Jurisdiction</th><th scope="col">Recipients</th><th scope="col">Recorded in the facts</th></tr></thead>
          <tbody>
            ${Object.entries(regions.byJurisdiction).map(([code, count]) => {
              const differs = differFromFacts?.find((d) => d.code === code);
              return html`<tr key=${code} data-code=${code} class=${differs ? 'differs' : ''}><th scope="row">${code}</th><td>${String(count ?? 0)}</td><td>${differs ? (differs.facts === null ? 'not recorded' : `${differs.facts} (differs)`) : differFromFacts ? 'the same' : ''}</td></tr>`;
            })}
            ${regions.withoutRegion ? html`<tr data-code=""><th scope="row">no region</th><td>${String(regions.withoutRegion)}</td><td></td></tr>` : null}
          </tbody>
        </table>
        ${Object.keys(regions.readAsCountries).length ? html`<p class="hint">${`Read as countries (also US state abbreviations): ${Object.entries(regions.readAsCountries).map(([code, n]) => `${code} ${n}`).join(', ')}`}</p>` : null}`
      : null}
  </div>`;
}

/**
 * Upload the affected people (CSV: email, phone, name, language, region) for a notice sent by email or SMS.
 * The list is part of what is approved: uploading to an approved notice turns it back to a draft.
 */
export function RecipientUpload({ notice, differFromFacts }: { readonly notice: NoticeListItem; readonly differFromFacts?: readonly { readonly code: string; readonly list: number; readonly facts: number | null }[] }) {
  const desk = useDesk();
  const [file, setFile] = useState<File>();
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<ListInfo>();
  const [refusal, setRefusal] = useState('');
  const id = `recipients-file-${notice.noticeId}`;
  // The newest list: the upload's own answer until the notice (refreshed) carries it (then with the view's
  // comparison to the facts) or a newer one.
  const shown = answer && notice.recipients?.objectKey !== answer.objectKey && (!notice.recipients || answer.uploadedAt >= notice.recipients.uploadedAt) ? answer : notice.recipients;
  const upload = async (event: Event) => {
    event.preventDefault();
    if (!file || busy) return;
    desk.clearError();
    setRefusal('');
    setBusy(true);
    try {
      const result = await uploadList(notice.incidentId, notice.noticeId, file);
      if (result.recipients) setAnswer(result.recipients);
      desk.done(`List for ${notice.noticeId}: ${result.recipients?.valid ?? 0} valid of ${result.recipients?.rows ?? 0} rows${notice.status === 'approved' ? '; the notice is a draft again and needs approving' : ''}`);
    } catch (error) {
      desk.fail(error);
      setRefusal(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  return html`<div class="recipient-upload">
    <form class="action-form list-form" onSubmit=${upload}>
      <fieldset disabled=${busy}>
        <legend>${`Recipients of ${notice.noticeId}`}</legend>
        <label for=${id}>The affected people (CSV: email, phone, name, language, region)</label>
        <input id=${id} type="file" accept=".csv,text/csv" onChange=${(e: Event) => setFile((e.currentTarget as HTMLInputElement).files?.[0])} aria-describedby=${refusal ? `${id}-refusal` : undefined} />
        <button type="submit" disabled=${!file || busy}>${busy ? 'Uploading and validating…' : shown ? 'Upload a new list (replaces the attached one)' : 'Upload the list'}</button>
        ${refusal ? html`<p class="field-error" id=${`${id}-refusal`}>${`Upload refused: ${refusal}`}</p>` : null}
      </fieldset>
    </form>
    ${shown ? listReport(shown, shown === notice.recipients ? differFromFacts : undefined) : null}
  </div>`;
}
