/**
 * What the approved SMS holds where each person's private link goes: the approver reads (and the hash binds)
 * the text with this slot; the sender writes the person's link into it (issue 26.5). A module of its own so that
 * the draft and the sender share it without the sender importing the draft (ADR 0018).
 */
export const NOTICE_LINK_SLOT = '{notice-link}';
