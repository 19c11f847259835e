import type { NoticeDetailAnswer } from '../../lambdas/contracts/api-answers.js';
import { progressText, reviewRow } from '../../lambdas/dashboard/src/views/delivery-text.js';

const progress = (over: Partial<NonNullable<NoticeDetailAnswer['progress']>>): NonNullable<NoticeDetailAnswer['progress']> => ({ sent: 0, delivered: 0, bounced: 0, complained: 0, failed: 0, parked: 0, duplicates: 0, percent: 0, ...over });

/** Issue 25 §1.5: the words of the delivery bar and the rows of the recipients to review. */
describe('the delivery of a notice on the desk', () => {
  it('says sent, parked, failed and how many of the planned total are accounted for', () => {
    expect(progressText(progress({ sent: 7, delivered: 6, failed: 1, parked: 1, duplicates: 1, planned: 12, percent: 83.3 }))).toBe(
      '83.3 %: 7 sent, 6 delivered, 0 bounced, 1 failed, 1 parked for review, 1 same address twice; 10 of 12 accounted for',
    );
  });

  it('says the sends are being planned before the planner has counted them', () => {
    expect(progressText(progress({}))).toBe('0 %: 0 sent, 0 delivered, 0 bounced, 0 failed, 0 parked for review, 0 same address twice; planning the sends');
  });

  it('shows a delivery to review by line and masked address; a parked one is said never to be sent again by itself', () => {
    expect(reviewRow({ key: 'k1', line: 4, channel: 'email', maskedAddress: 'a***@example.com', status: 'unknown', attempts: 1, lastError: 'lease expired while sending' })).toEqual([
      '4',
      'email',
      'a***@example.com',
      'parked: the outcome is unknown (never sent again by itself)',
      '1',
      'lease expired while sending',
    ]);
    expect(reviewRow({ key: 'k2', line: 9, channel: 'sms', maskedAddress: '+49***567', status: 'failed', attempts: 3 })).toEqual(['9', 'sms', '+49***567', 'failed', '3', '']);
  });
});
