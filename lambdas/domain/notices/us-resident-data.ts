/** The shape of the generated US resident notice data (packs/us-resident.data.ts; scripts/us-resident-contents.ts). */

/** One state's requirement (or prohibition) of one element: its citation, the research's words, and how sure the research is. */
export interface StateContent {
  readonly code: string;
  readonly citation: string;
  readonly words: string;
  /** The record's confidence when not primary ("secondary", "conflicting"), and "not read" where the research says "general knowledge; not read". */
  readonly note?: string;
}

export interface UsResidentData {
  /** The latest date a covered record was checked. */
  readonly checkedOn: string;
  /** Every US code with a research record (California excepted: its own pack), its name and the law's citation. */
  readonly states: readonly { readonly code: string; readonly name: string; readonly law: string }[];
  /** Per element id: the states that require it. */
  readonly required: Readonly<Record<string, readonly StateContent[]>>;
  /** Per element id: the states that forbid it in the notice to residents. */
  readonly forbidden: Readonly<Record<string, readonly StateContent[]>>;
  /** Conditions over facts that are the element's own, whichever state requires it. */
  readonly conditions: Readonly<Record<string, { readonly dataCategoriesAny: readonly ('government-id' | 'credentials')[] }>>;
}
