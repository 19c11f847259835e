import type { RegimeClockView } from '../../contracts/api-answers.js';

/** A regime's short human name: its pack's name up to the colon ("GDPR Art. 33", "California Civil Code 1798.82"). */
export const regimeShortName = (regimeName: string): string => regimeName.split(':')[0]!.trim();

/** What a clock is called on the desk: "GDPR Art. 33: Notify the lead supervisory authority" (codes stay in data attributes). */
export const clockName = (clock: Pick<RegimeClockView, 'regimeName' | 'label'>): string => `${regimeShortName(clock.regimeName)}: ${clock.label}`;
