import { useState } from 'preact/hooks';
import type { IncidentDetailAnswer } from '../../../contracts/api-answers.js';
import type { IncidentActionBody } from '../../../contracts/incident-api.js';
import { html } from '../html.js';
import { DATA_CATEGORY_NAMES, keysOf, PEOPLE_CATEGORY_NAMES, ROLE_NAMES, type DataCategory, type FactsRole, type IncidentFacts, type PeopleCategory } from './facts-types.js';
import { checkedOf, fromLocalInput, toLocalInput, useRefusal, valueOf } from './forms.js';
import { JURISDICTION_NAMES } from './jurisdictions.js';

type Act = (action: IncidentActionBody, onRefused?: (error: unknown) => void) => Promise<boolean>;
type Jurisdiction = NonNullable<IncidentFacts['jurisdictions']>[number]['code'];
type Encryption = '' | 'not-encrypted' | 'key-safe' | 'key-compromised';
const TIMES = {
  occurredAt: 'Occurred at',
  classifiedAt: 'Classified as major (DORA) at',
  materialityDeterminedAt: 'Materiality determined (SEC) at',
  assessedAt: 'Assessed (Singapore PDPA, Australia NDB) at',
} as const satisfies Partial<Record<keyof IncidentFacts, string>>;
type TimeFact = keyof typeof TIMES;

interface Row {
  readonly code: string;
  readonly affected: string;
}
interface ControllerRow {
  readonly name: string;
  readonly hours: string;
  readonly affected: string;
  readonly records: string;
}

const count = (value: string): number => (value.trim() === '' ? (null as unknown as number) : Number(value));
const optionalCount = (value: string): number | undefined => (value.trim() === '' ? undefined : Number(value));

/** A fact group as text that does not depend on key order (nor on what the form does not edit, e.g. a lead flag). */
function canonical(key: keyof IncidentFacts, value: unknown): string {
  if (key === 'jurisdictions' && Array.isArray(value)) return (value as { code: string; affected: number }[]).map((j) => `${j.code}:${j.affected}`).join(',');
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sorted(x)])) : v;
  return JSON.stringify(sorted(value)) ?? '';
}

function encryptionOf(facts: IncidentFacts): Encryption {
  if (!facts.encryption) return '';
  if (!facts.encryption.encrypted) return 'not-encrypted';
  return facts.encryption.keyCompromised ? 'key-compromised' : 'key-safe';
}

/**
 * The facts of the breach, group by group: where the affected people live and how many, what data and whose,
 * our role (and, as processor, each controller with its own numbers), encryption, and the times some regimes
 * count from. Sent as one record-facts of the groups that changed (lists replace; a group emptied is removed); the API's refusal is shown
 * beside each field it names.
 */
export function FactsForm({ detail, act }: { readonly detail: IncidentDetailAnswer; readonly act: Act }) {
  const facts: IncidentFacts = detail.incident.facts ?? {};
  const [rows, setRows] = useState<readonly Row[]>(() => (facts.jurisdictions?.length ? facts.jurisdictions.map((j) => ({ code: j.code, affected: String(j.affected) })) : [{ code: '', affected: '' }]));
  const [data, setData] = useState<ReadonlySet<DataCategory>>(() => new Set(facts.dataCategories ?? []));
  const [people, setPeople] = useState<ReadonlySet<PeopleCategory>>(() => new Set(facts.peopleCategories ?? []));
  const [role, setRole] = useState<'' | FactsRole>(facts.role ?? '');
  const [controllers, setControllers] = useState<readonly ControllerRow[]>(() =>
    (facts.controllers ?? []).map((c) => ({ name: c.name, hours: c.contractualHours ? String(c.contractualHours) : '', affected: c.affected !== undefined ? String(c.affected) : '', records: c.records !== undefined ? String(c.records) : '' })),
  );
  const [encryption, setEncryption] = useState<Encryption>(encryptionOf(facts));
  const [times, setTimes] = useState<Readonly<Record<TimeFact, string>>>(() => ({
    occurredAt: toLocalInput(facts.occurredAt),
    classifiedAt: toLocalInput(facts.classifiedAt),
    materialityDeterminedAt: toLocalInput(facts.materialityDeterminedAt),
    assessedAt: toLocalInput(facts.assessedAt),
  }));
  const refusal = useRefusal();

  const setRow = (i: number, change: Partial<Row>) => setRows((all) => all.map((row, j) => (j === i ? { ...row, ...change } : row)));
  const setController = (i: number, change: Partial<ControllerRow>) => setControllers((all) => all.map((row, j) => (j === i ? { ...row, ...change } : row)));
  const toggle = <T,>(set: ReadonlySet<T>, value: T, on: boolean): ReadonlySet<T> => {
    const next = new Set(set);
    if (on) next.add(value);
    else next.delete(value);
    return next;
  };

  const submit = (event: Event) => {
    event.preventDefault();
    const update: IncidentFacts = {};
    const remove: string[] = [];
    const had = (key: keyof IncidentFacts) => facts[key] !== undefined;
    const filled = rows.filter((row) => row.code.trim() || row.affected.trim());
    if (filled.length) update.jurisdictions = filled.map((row) => ({ code: row.code.trim().toUpperCase() as Jurisdiction, affected: count(row.affected) }));
    else if (had('jurisdictions')) remove.push('jurisdictions');
    if (data.size) update.dataCategories = keysOf(DATA_CATEGORY_NAMES).filter((c) => data.has(c));
    else if (had('dataCategories')) remove.push('dataCategories');
    if (people.size) update.peopleCategories = keysOf(PEOPLE_CATEGORY_NAMES).filter((c) => people.has(c));
    else if (had('peopleCategories')) remove.push('peopleCategories');
    if (role) update.role = role;
    else if (had('role')) remove.push('role');
    const named = role === 'processor' ? controllers.filter((c) => c.name.trim() || c.affected.trim() || c.records.trim() || c.hours.trim()) : [];
    if (named.length) {
      update.controllers = named.map((c) => {
        const hours = optionalCount(c.hours);
        const affected = optionalCount(c.affected);
        const records = optionalCount(c.records);
        return { name: c.name.trim(), ...(hours !== undefined ? { contractualHours: hours } : {}), ...(affected !== undefined ? { affected } : {}), ...(records !== undefined ? { records } : {}) };
      });
    } else if (had('controllers') && role !== 'processor') remove.push('controllers');
    if (encryption) update.encryption = { encrypted: encryption !== 'not-encrypted', keyCompromised: encryption === 'key-compromised' };
    else if (had('encryption')) remove.push('encryption');
    for (const key of keysOf(TIMES)) {
      const at = fromLocalInput(times[key]);
      if (at) update[key] = at;
      else if (had(key)) remove.push(key);
    }
    // Only what changed goes to the trail ("dana recorded role"), not every group the form shows.
    const same = (key: keyof IncidentFacts) => canonical(key, update[key]) === canonical(key, facts[key]);
    for (const key of Object.keys(update) as (keyof IncidentFacts)[]) if (same(key)) delete update[key];
    refusal.clear();
    void act({ action: 'record-facts', facts: update, ...(remove.length ? { remove } : {}) }, refusal.onRefused);
  };

  const field = (path: string) => refusal.at(path);
  return html`<form id="facts-form" class="action-form officer-form" onSubmit=${submit}>
    <fieldset>
      <legend>Record the facts</legend>
      <fieldset id="facts-jurisdictions">
        <legend>Where the affected people live, and how many</legend>
        <datalist id="jurisdiction-codes">${keysOf(JURISDICTION_NAMES).map((code) => html`<option key=${code} value=${code}>${JURISDICTION_NAMES[code]}</option>`)}</datalist>
        ${rows.map((row, i) => {
          const code = field(`facts.jurisdictions.${i}.code`);
          const affected = field(`facts.jurisdictions.${i}.affected`);
          return html`<div key=${i} class="row">
            <label for=${`jurisdiction-${i}`}>${`Jurisdiction ${i + 1}`}</label>
            <input id=${`jurisdiction-${i}`} list="jurisdiction-codes" value=${row.code} aria-invalid=${code.invalid} aria-describedby=${code.describedBy} onInput=${(e: Event) => setRow(i, { code: valueOf(e) })} />
            ${code.message}
            <label for=${`jurisdiction-affected-${i}`}>${`People affected in jurisdiction ${i + 1}`}</label>
            <input id=${`jurisdiction-affected-${i}`} inputmode="numeric" value=${row.affected} aria-invalid=${affected.invalid} aria-describedby=${affected.describedBy} onInput=${(e: Event) => setRow(i, { affected: valueOf(e) })} />
            ${affected.message}
            <button type="button" onClick=${() => setRows((all) => all.filter((_, j) => j !== i))}>${`Remove jurisdiction ${i + 1}`}</button>
          </div>`;
        })}
        ${field('facts.jurisdictions').message}
        <button type="button" onClick=${() => setRows((all) => [...all, { code: '', affected: '' }])}>Add a jurisdiction</button>
      </fieldset>
      <fieldset id="facts-data">
        <legend>Data categories</legend>
        ${keysOf(DATA_CATEGORY_NAMES).map(
          (c) => html`<label key=${c} class="check"><input type="checkbox" checked=${data.has(c)} onChange=${(e: Event) => setData((s) => toggle(s, c, checkedOf(e)))} /> ${DATA_CATEGORY_NAMES[c]}</label>`,
        )}
        ${field('facts.dataCategories').message}
      </fieldset>
      <fieldset id="facts-people">
        <legend>People categories</legend>
        ${keysOf(PEOPLE_CATEGORY_NAMES).map(
          (c) => html`<label key=${c} class="check"><input type="checkbox" checked=${people.has(c)} onChange=${(e: Event) => setPeople((s) => toggle(s, c, checkedOf(e)))} /> ${PEOPLE_CATEGORY_NAMES[c]}</label>`,
        )}
        ${field('facts.peopleCategories').message}
      </fieldset>
      <label for="facts-role">Our role for this data</label>
      <select id="facts-role" value=${role} onChange=${(e: Event) => setRole(valueOf(e) as '' | FactsRole)}>
        <option value="">Not recorded</option>
        ${keysOf(ROLE_NAMES).map((r) => html`<option key=${r} value=${r}>${ROLE_NAMES[r]}</option>`)}
      </select>
      ${field('facts.role').message}
      ${role === 'processor'
        ? html`<fieldset id="facts-controllers">
            <legend>The controllers to inform, each with its own numbers (its notice states only these)</legend>
            ${controllers.map((c, i) => {
              const name = field(`facts.controllers.${i}.name`);
              const hours = field(`facts.controllers.${i}.contractualHours`);
              const affected = field(`facts.controllers.${i}.affected`);
              const records = field(`facts.controllers.${i}.records`);
              return html`<div key=${i} class="row">
                <label for=${`controller-name-${i}`}>${`Controller ${i + 1}`}</label>
                <input id=${`controller-name-${i}`} value=${c.name} aria-invalid=${name.invalid} aria-describedby=${name.describedBy} onInput=${(e: Event) => setController(i, { name: valueOf(e) })} />
                ${name.message}
                <label for=${`controller-hours-${i}`}>${`Controller ${i + 1}: contractual deadline in hours (DPA), if any`}</label>
                <input id=${`controller-hours-${i}`} inputmode="numeric" value=${c.hours} aria-invalid=${hours.invalid} aria-describedby=${hours.describedBy} onInput=${(e: Event) => setController(i, { hours: valueOf(e) })} />
                ${hours.message}
                <label for=${`controller-affected-${i}`}>${`Controller ${i + 1}: people affected`}</label>
                <input id=${`controller-affected-${i}`} inputmode="numeric" value=${c.affected} aria-invalid=${affected.invalid} aria-describedby=${affected.describedBy} onInput=${(e: Event) => setController(i, { affected: valueOf(e) })} />
                ${affected.message}
                <label for=${`controller-records-${i}`}>${`Controller ${i + 1}: records`}</label>
                <input id=${`controller-records-${i}`} inputmode="numeric" value=${c.records} aria-invalid=${records.invalid} aria-describedby=${records.describedBy} onInput=${(e: Event) => setController(i, { records: valueOf(e) })} />
                ${records.message}
                <button type="button" onClick=${() => setControllers((all) => all.filter((_, j) => j !== i))}>${`Remove controller ${i + 1}`}</button>
              </div>`;
            })}
            ${field('facts.controllers').message}
            <button type="button" onClick=${() => setControllers((all) => [...all, { name: '', hours: '', affected: '', records: '' }])}>Add a controller</button>
          </fieldset>`
        : null}
      <label for="facts-encryption">Encryption of the data</label>
      <select id="facts-encryption" value=${encryption} onChange=${(e: Event) => setEncryption(valueOf(e) as Encryption)}>
        <option value="">Not recorded</option>
        <option value="not-encrypted">Not encrypted</option>
        <option value="key-safe">Encrypted, key not compromised</option>
        <option value="key-compromised">Encrypted, but the key is compromised</option>
      </select>
      ${field('facts.encryption').message}
      ${keysOf(TIMES).map((key) => {
        const problem = field(`facts.${key}`);
        return html`<div key=${key}>
          <label for=${`facts-${key}`}>${`${TIMES[key]} (your time)`}</label>
          <input id=${`facts-${key}`} type="datetime-local" value=${times[key]} aria-invalid=${problem.invalid} aria-describedby=${problem.describedBy} onInput=${(e: Event) => setTimes((t) => ({ ...t, [key]: valueOf(e) }))} />
          ${problem.message}
        </div>`;
      })}
      ${field('facts').message && !refusal.refusal?.answer?.details?.some((d) => d.path.startsWith('facts.')) ? field('facts').message : null}
      <button type="submit">Record facts</button>
    </fieldset>
  </form>`;
}
