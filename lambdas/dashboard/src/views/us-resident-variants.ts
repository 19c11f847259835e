import type { NoticeListAnswer, NoticeListItem } from '../../../contracts/api-answers.js';
import { html } from '../html.js';

/**
 * The US resident notice's variants for the incident's states (issue 28.5, from GET …/notices): which states each
 * variant covers, what it must carry and must not (with the state that forbids it), why these states share it,
 * and the notices drafted for it. States with a pack of their own, and states without research, are said too.
 * Every text comes from the API and is shown as text (escaped), never as markup.
 */

type Grouping = NoticeListAnswer['usResidentVariants'];

const list = (items: readonly string[]) => (items.length ? items.join(', ') : 'none');

export function UsResidentVariants({ grouping, notices }: { readonly grouping: Grouping; readonly notices: readonly NoticeListItem[] }) {
  const { variants, ownPacks, notCovered } = grouping;
  if (!variants.length && !ownPacks.length && !notCovered.length) return null;
  return html`<section id="us-resident-variants" aria-labelledby="us-resident-variants-title">
    <h4 id="us-resident-variants-title">US resident notices: one variant per group of states whose rules agree</h4>
    <ul>
      ${variants.map((variant, i) => {
        const drafted = notices.filter((n) => n.obligation === variant.obligation);
        return html`<li key=${variant.obligation} class="us-variant" data-obligation=${variant.obligation}>
          <strong>${`Variant ${i + 1}: ${variant.states.join(', ')}`}</strong>
          <dl>
            <dt>Must carry</dt>
            <dd class="requires">${list(variant.requires)}</dd>
            <dt>Must not carry</dt>
            <dd class="omits">${variant.omits.length ? variant.omits.map((o) => `${o.id} (forbidden by ${o.forbiddenBy.join(', ')})`).join('; ') : 'nothing'}</dd>
            <dt>Why these states share it</dt>
            <dd class="why">${variant.why.replace(/`([^`]*)`/g, '"$1"')}</dd>
            <dt>Drafted</dt>
            <dd class="drafted">${drafted.length ? drafted.map((n) => `${n.noticeId} (${n.language}, ${n.status})`).join('; ') : 'not yet'}</dd>
          </dl>
        </li>`;
      })}
    </ul>
    ${ownPacks.length ? html`<p class="hint us-own-packs">${`Drafted with a notice of their own: ${ownPacks.map((p) => `${p.code} (${p.kind})`).join(', ')}`}</p>` : null}
    ${notCovered.length ? html`<p class="hint us-not-covered">${`No resident notice research for ${notCovered.join(', ')}: write those notices by hand`}</p>` : null}
  </section>`;
}
