import type { ElementId, NoticePackConfig, NoticeTemplate } from '../notice-pack.js';

type Element = NoticePackConfig['elements'][number];
type Required = 'always' | 'no' | 'when-follow-up' | 'when-late';

/** Elements written compactly, as [id, label, legal source, required (default always)] (keeps the api bundle small). */
export const elements = (rows: readonly (readonly [ElementId, string, string, Required?])[]): Element[] =>
  rows.map(([id, label, legalSource, required = 'always']) => ({ id, label, legalSource, required }));

/**
 * The Markdown (portal) and plain-text templates of an authority form, one row per field, from the pack's own
 * elements: the form's field names are written once, as the elements' labels.
 */
export function formTemplates(title: string, subject: string, rows: readonly Element[]): NoticeTemplate {
  const all = [...rows.map((r) => [r.label, `{{el.${r.id}}}`]), ['Internal reference', '{{incidentId}}']];
  return {
    subject,
    markdown: `# ${title}\n\n| Form field | Answer |\n|---|---|\n${all.map(([l, v]) => `| ${l} | ${v} |`).join('\n')}\n`,
    text: `${title}\n${all.map(([l, v]) => `${l}: ${v}`).join('\n')}\n`,
  };
}
