/** The confidence note of the packs written before issue 28 (one copy in the bundle, not one per pack). */
export const ENCODED_BEFORE_ISSUE_28 =
  'Encoded before issue 28: the pack records no reading of the statute text itself; checkedOn is the date the pack was last changed. Re-check against the legal source.';
