import { useState } from 'preact/hooks';
import { html } from '../html.js';

/** Where a paged view is: the cursor of the page shown (none: the first) and those before it, for "previous". */
export interface PagerState {
  readonly before: readonly (string | undefined)[];
  readonly current: string | undefined;
}

/**
 * A paged view (most urgent first across pages). Each read carries the pager state it was made for, and the
 * buttons follow the page shown: a page turns, buttons and rows together, when the next page has arrived.
 */
export function usePager() {
  const [state, setState] = useState<PagerState>({ before: [], current: undefined });
  return {
    state,
    key: state.current ?? '',
    next: (cursor: string) => setState((s) => ({ before: [...s.before, s.current], current: cursor })),
    previous: () => setState((s) => ({ before: s.before.slice(0, -1), current: s.before[s.before.length - 1] })),
  };
}

export function pagerButtons(pager: ReturnType<typeof usePager>, shown: PagerState, next: string | null, ids: { readonly previous: string; readonly next: string }) {
  const hasPrevious = shown.before.length > 0 || shown.current !== undefined;
  return html`<p class="pager">
    ${hasPrevious ? html`<button type="button" id=${ids.previous} onClick=${pager.previous}>Previous page</button>` : null}${' '}
    ${next ? html`<button type="button" id=${ids.next} onClick=${() => pager.next(next)}>Next page</button>` : null}
  </p>`;
}
