import { formatDuration, parseDuration } from '../../lambdas/domain/duration.js';

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['72h', 259_200_000],
    ['3d', 259_200_000],
  ])('parses %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '15', '1.5h', '-1h', '2w', '15 m'])('rejects %p with the expected format', (text) => {
    expect(() => parseDuration(text)).toThrow(/not a duration/);
  });

  it('formats for people', () => {
    expect(formatDuration(0)).toBe('0m');
    expect(formatDuration(59_999)).toBe('0m');
    expect(formatDuration(71 * 3_600_000 + 5 * 60_000)).toBe('2d 23h 5m');
    expect(formatDuration(-5)).toBe('0m');
  });
});
