import { DomainValidationError } from '../../lambdas/domain/errors.js';
import { assertFieldShape, SINGLE_LINE_ELEMENTS } from '../../lambdas/domain/notices/notice-pack.js';

/** Issue 26.6: a name, a contact point, a count, a date or a reference is one line; an edit with a line break in one is refused. */
describe('single-line elements refuse a line break (issue 26.6)', () => {
  it('names, contact points, counts, dates and references are single-line', () => {
    expect([...SINGLE_LINE_ELEMENTS].sort()).toEqual(['approx-people', 'approx-records', 'case-reference', 'contact-point', 'discovered-at', 'individuals-notified-at', 'notice-type', 'occurred-at', 'organisation', 'residents-affected', 'toll-free-number', 'breach-type', 'information-location'].sort());
  });

  it('the HHS portal\'s choices (type of breach, location of the information) are one line: a line break in one is refused', () => {
    expect(() => assertFieldShape('breach-type', 'Hacking/IT Incident\n| Breach affecting | 1 |')).toThrow(DomainValidationError);
    expect(() => assertFieldShape('information-location', 'Network Server\nEmail')).toThrow(/"information-location" is a single line/);
    expect(() => assertFieldShape('information-location', 'Network Server, Email')).not.toThrow();
  });

  it('assertFieldShape refuses a newline in a single-line element with a DomainValidationError naming the field', () => {
    expect(() => assertFieldShape('organisation', 'Shopwise GmbH\nWhat Happened?')).toThrow(DomainValidationError);
    expect(() => assertFieldShape('contact-point', 'dpo@shopwise.example\r\n')).not.toThrow(); // trailing line breaks are trimmed anyway
    expect(() => assertFieldShape('approx-records', 'about\r48,000')).toThrow(DomainValidationError);
    try {
      assertFieldShape('occurred-at', '27 March\n\n# Heading');
    } catch (error) {
      expect((error as DomainValidationError).path).toBe('fields.occurred-at');
    }
    expect.assertions(4);
  });

  it('accepts line breaks in multi-line elements, null (a cleared field) and fields that are not elements', () => {
    expect(() => assertFieldShape('nature', 'one\n\ntwo')).not.toThrow();
    expect(() => assertFieldShape('organisation', null)).not.toThrow();
    expect(() => assertFieldShape('voluntary-reason', 'one\ntwo')).not.toThrow();
  });
});
