import { useEffect, useState } from 'preact/hooks';
import type { IncidentDetailAnswer, NoticePackSummary, NoticePacksAnswer, NoticeViewAnswer } from '../../../contracts/api-answers.js';
import type { CreateNoticeBody } from '../../../contracts/notice-api.js';
import { api, incidentPath } from '../api.js';
import { useDesk } from '../desk.js';
import { html } from '../html.js';
import { useRefusal, valueOf } from './forms.js';

type Language = NonNullable<CreateNoticeBody['language']>;

const AUDIENCES: Readonly<Record<NoticePackSummary['audience'], string>> = {
  authority: 'to the authority',
  people: 'to the affected people',
  public: 'to the public',
  controller: 'to the controller',
};

/** The notice kinds, read once per page (they change with a deployment, not while an officer works). */
let packs: Promise<NoticePacksAnswer> | undefined;
export function usePacks(): readonly NoticePackSummary[] {
  const [list, setList] = useState<readonly NoticePackSummary[]>([]);
  useEffect(() => {
    packs ??= api<NoticePacksAnswer>('GET', '/api/notice-packs');
    packs.then(
      (answer) => setList(answer.packs),
      () => (packs = undefined),
    );
  }, []);
  return list;
}

/**
 * Draft a notice for a pack and a language: the kinds of this incident's regimes first, each with its human
 * name, audience and legal source; a processor's notice names its controller.
 */
export function DraftNoticeForm({ detail, onDrafted }: { readonly detail: IncidentDetailAnswer; readonly onDrafted: () => Promise<void> }) {
  const desk = useDesk();
  const all = usePacks();
  const [kind, setKind] = useState('');
  const [language, setLanguage] = useState('');
  const [controller, setController] = useState('');
  const refusal = useRefusal();
  const regimes = new Set(detail.incident.regimeClocks.map((c) => c.regime));
  const ordered = [...all.filter((p) => regimes.has(p.regime)), ...all.filter((p) => !regimes.has(p.regime))];
  const pack = all.find((p) => p.kind === kind);
  const languages = pack?.languages ?? [];
  const chosenLanguage = languages.includes(language as Language) ? language : (languages[0] ?? '');
  const controllers = detail.incident.facts?.controllers ?? [];
  const submit = async (event: Event) => {
    event.preventDefault();
    desk.clearError();
    refusal.clear();
    const body: CreateNoticeBody = { kind, ...(chosenLanguage ? { language: chosenLanguage as Language } : {}), ...(pack?.audience === 'controller' && controller ? { controller } : {}) };
    try {
      const view = await api<NoticeViewAnswer>('POST', `${incidentPath(detail.incident.id)}/notices`, body);
      desk.done(`Drafted ${view.notice.noticeId}: ${view.pack.name}`);
      await onDrafted();
    } catch (error) {
      desk.fail(error);
      refusal.onRefused(error);
    }
  };
  const kindProblem = refusal.at('kind');
  return html`<form id="draft-notice-form" class="action-form officer-form" onSubmit=${submit}>
    <fieldset>
      <legend>Draft a notice</legend>
      <label for="draft-kind">Notice to draft</label>
      <select id="draft-kind" required value=${kind} onChange=${(e: Event) => setKind(valueOf(e))} aria-invalid=${kindProblem.invalid} aria-describedby=${kindProblem.describedBy}>
        <option value="">Choose a notice</option>
        ${ordered.map((p) => html`<option key=${p.kind} value=${p.kind}>${`${p.name} (${AUDIENCES[p.audience]}${regimes.has(p.regime) ? '' : '; its regime does not apply now'})`}</option>`)}
      </select>
      ${kindProblem.message}
      ${pack ? html`<p class="hint">${`${pack.legalSource}${pack.checked ? ` · sources checked ${pack.checked}` : ''}`}</p>` : null}
      <label for="draft-language">Language of the notice</label>
      <select id="draft-language" value=${chosenLanguage} onChange=${(e: Event) => setLanguage(valueOf(e))}>
        ${languages.map((l) => html`<option key=${l} value=${l}>${l}</option>`)}
      </select>
      ${pack?.audience === 'controller'
        ? html`<label for="draft-controller">For the controller</label>
            <select id="draft-controller" value=${controller} onChange=${(e: Event) => setController(valueOf(e))}>
              <option value="">Choose the controller</option>
              ${controllers.map((c) => html`<option key=${c.name} value=${c.name}>${c.name}</option>`)}
            </select>
            ${refusal.at('controller').message}`
        : null}
      <button type="submit">Draft the notice</button>
    </fieldset>
  </form>`;
}
