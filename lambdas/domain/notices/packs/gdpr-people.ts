import type { NoticePackConfig } from '../notice-pack.js';
import { elements } from './form.js';

const A34 = 'GDPR Art. 34(2) with Art. 33(3)(b)-(d)';

/** Art. 34(2): clear and plain language; the same content for the notice to people and the public communication. */
export const PEOPLE_ELEMENTS: NoticePackConfig['elements'] = elements([
  ['organisation', 'Who we are', 'GDPR Art. 34(2)'],
  ['nature', 'What happened', 'GDPR Art. 34(2) (nature of the breach)'],
  ['data-categories', 'What information was involved', 'GDPR Art. 34(2); EDPB Guidelines 9/2022'],
  ['likely-consequences', 'What this may mean for you', `${A34} (c)`],
  ['measures-taken', 'What we have done', `${A34} (d)`],
  ['what-to-do', 'What you can do', 'GDPR Art. 34(2); EDPB Guidelines 9/2022 (specific advice to protect themselves)'],
  ['contact-point', 'Who to contact: our data protection officer or other contact point', `${A34} (b)`],
]);

const html = (h: Record<'title' | 'intro' | 'what' | 'info' | 'mean' | 'done' | 'todo' | 'contact' | 'footer', string>) => `<!doctype html>
<html><head><meta charset="utf-8"><title>${h.title}</title></head>
<body style="font-family: Arial, sans-serif; line-height: 1.5; max-width: 40em">
<h1>${h.title}</h1>
<p>${h.intro}</p>
<h2>${h.what}</h2><p>{{el.nature}}</p>
<h2>${h.info}</h2><p>{{el.data-categories}}</p>
<h2>${h.mean}</h2><p>{{el.likely-consequences}}</p>
<h2>${h.done}</h2><p>{{el.measures-taken}}</p>
<h2>${h.todo}</h2><p>{{el.what-to-do}}</p>
<h2>${h.contact}</h2><p>{{el.contact-point}}</p>
<p style="color:#555">${h.footer}</p>
</body></html>`;

const text = (h: Record<'title' | 'intro' | 'what' | 'info' | 'mean' | 'done' | 'todo' | 'contact' | 'footer', string>) => `${h.title}

${h.intro}

${h.what}
{{el.nature}}

${h.info}
{{el.data-categories}}

${h.mean}
{{el.likely-consequences}}

${h.done}
{{el.measures-taken}}

${h.todo}
{{el.what-to-do}}

${h.contact}
{{el.contact-point}}

${h.footer}
`;

const EN = {
  title: 'Important: a data breach affecting your personal data',
  intro: 'We are writing to tell you about a security incident at {{el.organisation}} that involved your personal data, what we have done about it and what you can do.',
  what: 'What happened',
  info: 'What information was involved',
  mean: 'What this may mean for you',
  done: 'What we have done',
  todo: 'What you can do',
  contact: 'Who to contact: our data protection officer or other contact point',
  footer: 'You are receiving this message because we must tell you about this breach (Art. 34 GDPR). Reference: {{incidentId}}.',
};
const DE = {
  title: 'Wichtig: Verletzung des Schutzes Ihrer personenbezogenen Daten',
  intro: 'Wir informieren Sie über einen Sicherheitsvorfall bei {{el.organisation}}, der Ihre personenbezogenen Daten betrifft, was wir unternommen haben und was Sie tun können.',
  what: 'Was ist passiert',
  info: 'Welche Daten sind betroffen',
  mean: 'Was das für Sie bedeuten kann',
  done: 'Was wir unternommen haben',
  todo: 'Was Sie tun können',
  contact: 'Ihre Ansprechperson: unsere Datenschutzbeauftragte(r) oder sonstige Anlaufstelle',
  footer: 'Sie erhalten diese Nachricht, weil wir Sie über diese Verletzung informieren müssen (Art. 34 DSGVO). Referenz: {{incidentId}}.',
};
const FR = {
  title: 'Important : violation de vos données personnelles',
  intro: "Nous vous informons d'un incident de sécurité chez {{el.organisation}} qui concerne vos données personnelles, de ce que nous avons fait et de ce que vous pouvez faire.",
  what: "Ce qui s'est passé",
  info: 'Quelles données sont concernées',
  mean: 'Ce que cela peut signifier pour vous',
  done: 'Ce que nous avons fait',
  todo: 'Ce que vous pouvez faire',
  contact: "Qui contacter : notre délégué(e) à la protection des données ou un autre point de contact",
  footer: "Vous recevez ce message parce que nous devons vous informer de cette violation (art. 34 du RGPD). Référence : {{incidentId}}.",
};

export const gdprPeople: NoticePackConfig = {
  kind: 'gdpr-people',
  version: '2026-12',
  name: 'GDPR Art. 34 communication to the people affected',
  legalSource: 'Regulation (EU) 2016/679 Art. 34(1), (2); EDPB Guidelines 9/2022',
  audience: 'people',
  regime: 'gdpr-art33',
  channels: ['email', 'sms', 'letter'],
  approvalNeeds: 'people-must-be-told',
  languages: ['en', 'de', 'fr'],
  elements: PEOPLE_ELEMENTS,
  templates: {
    en: { subject: `${EN.title} ({{el.organisation}})`, text: text(EN), html: html(EN), sms: '{{el.organisation}}: a data breach involved your personal data. Read the whole notice and what you can do: {{noticeLink}} Questions: {{el.contact-point}}' },
    de: { subject: `${DE.title} ({{el.organisation}})`, text: text(DE), html: html(DE), sms: '{{el.organisation}}: Ihre personenbezogenen Daten sind von einer Datenschutzverletzung betroffen. Die ganze Mitteilung und was Sie tun können: {{noticeLink}} Fragen: {{el.contact-point}}' },
    fr: { subject: `${FR.title} ({{el.organisation}})`, text: text(FR), html: html(FR), sms: "{{el.organisation}} : une violation concerne vos données personnelles. L'avis complet et ce que vous pouvez faire : {{noticeLink}} Questions : {{el.contact-point}}" },
  },
};

const PUBLIC_EN = {
  ...EN,
  title: 'Public notice of a personal data breach',
  intro: '{{el.organisation}} is informing the public about a security incident that involved personal data, because contacting each person individually would involve disproportionate effort (Art. 34(3)(c) GDPR): {{el.exemption-reason}}',
  footer: 'Reference: {{incidentId}}.',
};
const PUBLIC_DE = {
  ...DE,
  title: 'Öffentliche Bekanntmachung einer Datenschutzverletzung',
  intro: '{{el.organisation}} informiert die Öffentlichkeit über einen Sicherheitsvorfall mit personenbezogenen Daten, weil eine Benachrichtigung jeder einzelnen Person mit unverhältnismäßigem Aufwand verbunden wäre (Art. 34 Abs. 3 lit. c DSGVO): {{el.exemption-reason}}',
  footer: 'Referenz: {{incidentId}}.',
};
const PUBLIC_FR = {
  ...FR,
  title: "Avis public d'une violation de données personnelles",
  intro: "{{el.organisation}} informe le public d'un incident de sécurité concernant des données personnelles, car informer chaque personne individuellement exigerait des efforts disproportionnés (art. 34, par. 3, c) du RGPD) : {{el.exemption-reason}}",
  footer: 'Référence : {{incidentId}}.',
};

export const gdprPublic: NoticePackConfig = {
  kind: 'gdpr-public',
  version: '2026-12',
  name: 'GDPR Art. 34(3)(c) public communication',
  legalSource: 'Regulation (EU) 2016/679 Art. 34(3)(c); EDPB Guidelines 9/2022',
  audience: 'public',
  regime: 'gdpr-art33',
  channels: ['publication'],
  approvalNeeds: 'public-communication',
  languages: ['en', 'de', 'fr'],
  elements: [
    ...PEOPLE_ELEMENTS,
    // The exemption is used only with its reason, recorded in the notice (audited) and stated to the public, in each language.
    { id: 'exemption-reason', label: 'Why telling each person individually would involve disproportionate effort', legalSource: 'GDPR Art. 34(3)(c)', required: 'always' },
  ],
  templates: {
    en: { subject: PUBLIC_EN.title, text: text(PUBLIC_EN), html: html(PUBLIC_EN) },
    de: { subject: PUBLIC_DE.title, text: text(PUBLIC_DE), html: html(PUBLIC_DE) },
    fr: { subject: PUBLIC_FR.title, text: text(PUBLIC_FR), html: html(PUBLIC_FR) },
  },
};
