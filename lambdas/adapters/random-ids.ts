import { randomBytes, randomUUID } from 'node:crypto';
import type { IdGenerator } from '../ports/ids.js';

const BASE32 = 'ABCDEFGHJKMNPQRSTVWXYZ0123456789';

/** Incident ids people can read out on a call: INC-20261123-7KQ3ZDWA (date of detection + 40 random bits). */
export const randomIds: IdGenerator = {
  incidentId(now: Date): string {
    const bytes = randomBytes(8);
    let suffix = '';
    for (const byte of bytes) suffix += BASE32[byte % 32];
    return `INC-${now.toISOString().slice(0, 10).replaceAll('-', '')}-${suffix}`;
  },
  alertId: () => `ALR-${randomUUID()}`,
};
