import { noticePack } from '../../lambdas/domain/notices/packs/index.js';
import { packForNotice, variantObligation } from '../../lambdas/domain/notices/us-variants.js';

/** A US resident variant refuses text for elements it does not carry: a shared fixture's fields, cut to the variant's. */
export function variantFields(fields: Readonly<Record<string, string>>, states: readonly string[]): Record<string, string> {
  const pack = packForNotice(noticePack('us-resident')!, variantObligation(states));
  return Object.fromEntries(Object.entries(fields).filter(([id]) => pack.elements.some((e) => e.id === id)));
}
