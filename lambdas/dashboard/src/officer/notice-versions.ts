import { useState } from 'preact/hooks';
import type { NoticeDetailAnswer } from '../../../contracts/api-answers.js';
import { html } from '../html.js';
import { time } from '../time.js';
import { valueOf } from './forms.js';
import { lineDiff } from './line-diff.js';

type Version = NoticeDetailAnswer['versions'][number];

const FROM_RECORDS = "(from breachclock's records)";

/** One element's change between two versions: the officer's words before and after, line by line. */
function elementChange(label: string, before: string | undefined, after: string | undefined) {
  const lines = lineDiff(before ?? '', after ?? '');
  return html`<div class="element-diff">
    <h5>${label}</h5>
    ${before === undefined ? html`<p class="hint">${`Before: none of the officer's words ${FROM_RECORDS}`}</p>` : null}
    ${after === undefined ? html`<p class="hint">${`After: the officer's words removed ${FROM_RECORDS}`}</p>` : null}
    <pre class="diff">${lines.map((line, i) => html`<span key=${i} class=${`diff-${line.kind}`}>${`${line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}${line.text}\n`}</span>`)}</pre>
  </div>`;
}

/** The elements whose officer words differ between two versions (in the pack's order, then any others). */
export function changedElements(older: Version, newer: Version, order: readonly string[]): string[] {
  const ids = new Set([...Object.keys(older.fields), ...Object.keys(newer.fields)]);
  const ranked = [...order.filter((id) => ids.has(id)), ...[...ids].filter((id) => !order.includes(id)).sort()];
  return ranked.filter((id) => older.fields[id] !== newer.fields[id]);
}

/**
 * A notice's versions (who made each and when, what it changed) and what changed between two of them, element by
 * element, as a line diff of the officer's words. Derived values (facts, decisions) are not versioned: an element
 * without the officer's words renders breachclock's records as they are at the time of reading.
 */
export function NoticeVersions({ view }: { readonly view: NoticeDetailAnswer }) {
  const { versions, notice, draft } = view;
  const labels = new Map(draft.elements.map((e) => [e.id as string, e.label]));
  const order = draft.elements.map((e) => e.id as string);
  const newest = versions.at(-1)?.version ?? notice.version;
  const [from, setFrom] = useState<number>();
  const [to, setTo] = useState<number>();
  const toVersion = to ?? newest;
  const fromVersion = from ?? Math.max(1, toVersion - 1);
  const older = versions.find((v) => v.version === fromVersion);
  const newer = versions.find((v) => v.version === toVersion);
  if (versions.length === 0) return null;
  const idOf = (what: string) => `versions-${what}-${notice.noticeId}`;
  const changed = older && newer ? changedElements(older, newer, order) : [];
  return html`<details class="versions" data-versions=${notice.noticeId}>
    <summary>${`Versions (${versions.length}) and what changed`}</summary>
    <ol class="version-list">
      ${versions.map(
        (v) =>
          html`<li key=${v.version} data-version=${v.version}>${`Version ${v.version} by ${v.by} at `}${time(v.at)}${`${v.changed.length ? `: changed ${v.changed.map((id) => labels.get(id) ?? id).join(', ')}` : ''}${v.accepted ? ` (accepted the suggestion for ${labels.get(v.accepted.element) ?? v.accepted.element})` : ''}`}</li>`,
      )}
    </ol>
    ${versions.length > 1
      ? html`<div class="version-compare">
          <label for=${idOf('from')}>Compare version</label>
          <select id=${idOf('from')} value=${String(fromVersion)} onChange=${(e: Event) => setFrom(Number(valueOf(e)))}>
            ${versions.map((v) => html`<option key=${v.version} value=${String(v.version)}>${String(v.version)}</option>`)}
          </select>
          <label for=${idOf('to')}>with version</label>
          <select id=${idOf('to')} value=${String(toVersion)} onChange=${(e: Event) => setTo(Number(valueOf(e)))}>
            ${versions.map((v) => html`<option key=${v.version} value=${String(v.version)}>${String(v.version)}</option>`)}
          </select>
          <div class="version-diff" aria-live="polite">
            ${changed.length === 0
              ? html`<p class="hint">${`No element differs between version ${fromVersion} and version ${toVersion}.`}</p>`
              : changed.map((id) => html`<div key=${id}>${elementChange(labels.get(id) ?? id, older!.fields[id], newer!.fields[id])}</div>`)}
          </div>
        </div>`
      : null}
  </details>`;
}
