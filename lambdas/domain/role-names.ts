/** The roles people have in breachclock (kept apart so tasks and incidents can name them without the permission table). */
export const ROLES = ['responder', 'dpo', 'legal', 'executive'] as const;
export type Role = (typeof ROLES)[number];
