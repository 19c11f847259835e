import type { Notice } from '../domain/notices/notice.js';
import { NOTICE_PACKS } from '../domain/notices/packs/index.js';

/** What the API shows of the notice packs and of a notice in a list (the full notice view: app/notices.ts). */

export function packSummary() {
  return NOTICE_PACKS.map((pack) => ({
    kind: pack.kind,
    version: pack.version,
    name: pack.name,
    legalSource: pack.legalSource,
    audience: pack.audience,
    regime: pack.regime,
    obligation: pack.obligation ?? null,
    checked: pack.checked ?? null,
    sourceNote: pack.sourceNote ?? null,
    channels: pack.channels,
    languages: pack.languages,
    elements: pack.elements,
  }));
}

/** A notice of an incident's list: its approval without the rendered text it approved. */
export function noticeListItem({ approval, ...notice }: Notice) {
  return { ...notice, ...(approval ? { approval: { by: approval.by, at: approval.at, version: approval.version, contentHash: approval.contentHash } } : {}) };
}
