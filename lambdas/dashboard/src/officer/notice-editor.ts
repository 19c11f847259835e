import { h } from 'preact';
import { useState } from 'preact/hooks';
import type { NoticeDetailAnswer } from '../../../contracts/api-answers.js';
import type { NoticeActionBody } from '../../../contracts/notice-api.js';
import { html } from '../html.js';
import { useRefusal, valueOf } from './forms.js';
import { NoticePreview } from './notice-preview.js';

type Act = (noticeId: string, action: NoticeActionBody, onRefused?: (error: unknown) => void) => Promise<boolean>;
type EditFields = Extract<NoticeActionBody, { action: 'edit' }>['fields'];

const SOURCE = { field: 'your words', derived: "from breachclock's records", missing: 'missing' } as const;

/**
 * A draft's elements, each with its legal source, whether it is required and where its value comes from, edited
 * beside the notice as rendered (the server renders it: each saved edit is a new version and its preview). An
 * empty field gives the element back to breachclock's records. The edit names the version it was made on; a
 * stale edit is refused by the API, not merged.
 */
export function NoticeEditor({ view, act }: { readonly view: NoticeDetailAnswer; readonly act: Act }) {
  const { notice, draft } = view;
  const [words, setWords] = useState<Readonly<Record<string, string>>>({});
  const [saving, setSaving] = useState(false);
  const refusal = useRefusal();
  const changed = Object.entries(words).filter(([id, value]) => value !== (notice.fields[id] ?? ''));
  const save = (event: Event) => {
    event.preventDefault();
    refusal.clear();
    const fields = Object.fromEntries(changed.map(([id, value]) => [id, value.trim() ? value : null])) as EditFields;
    if (saving) return;
    setSaving(true);
    void act(notice.noticeId, { action: 'edit', fields, expectedVersion: notice.version }, refusal.onRefused)
      .then((ok) => ok && setWords({}))
      .finally(() => setSaving(false));
  };
  return html`<form class="notice-editor" data-editor=${notice.noticeId} onSubmit=${save}>
    <div class="elements">
      <h4>${`Elements of ${view.pack.name}`}</h4>
      ${draft.elements.map((element) => {
        const id = `element-${notice.noticeId}-${element.id}`;
        const problem = refusal.at(`fields.${element.id}`);
        const sourceId = `${id}-source`;
        return html`<div key=${element.id} class="element" data-element=${element.id}>
          <label for=${id}>${element.label}</label>
          <div id=${sourceId} class=${element.source === 'missing' && element.required ? 'source missing' : 'source'}>
            ${`${element.legalSource} · ${element.required ? 'required' : 'optional'} · ${element.source === 'missing' && !element.required ? 'empty' : SOURCE[element.source]}`}
          </div>
          <textarea
            id=${id}
            rows="3"
            value=${words[element.id] ?? notice.fields[element.id] ?? ''}
            placeholder=${element.source === 'derived' ? (element.value ?? '') : ''}
            aria-describedby=${[sourceId, problem.describedBy].filter(Boolean).join(' ')}
            aria-invalid=${problem.invalid}
            onInput=${(e: Event) => setWords((all) => ({ ...all, [element.id]: valueOf(e) }))}
          ></textarea>
          ${problem.message}
        </div>`;
      })}
      ${refusal.at('fields').message}
      <button type="submit" disabled=${changed.length === 0 || saving}>${saving ? 'Saving…' : `Save the edits (a new version after ${notice.version})`}</button>
    </div>
    ${h(NoticePreview, { view, unsaved: changed.length > 0 })}
  </form>`;
}
