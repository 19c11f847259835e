import { lineDiff } from '../../lambdas/dashboard/src/officer/line-diff.js';

/** The desk's diff between two versions of a notice element (issue 25.1 §1.2). */
describe('lineDiff', () => {
  it('keeps common lines and marks what was removed and added, in order', () => {
    expect(lineDiff('We found it.\nThe key was safe.\nCall us.', 'We found it.\nThe key was taken.\nCall us.\nWrite to us.')).toEqual([
      { kind: 'same', text: 'We found it.' },
      { kind: 'removed', text: 'The key was safe.' },
      { kind: 'added', text: 'The key was taken.' },
      { kind: 'same', text: 'Call us.' },
      { kind: 'added', text: 'Write to us.' },
    ]);
  });

  it('treats an empty text as no lines: a new element is all added, a removed one all removed', () => {
    expect(lineDiff('', 'First\nSecond')).toEqual([
      { kind: 'added', text: 'First' },
      { kind: 'added', text: 'Second' },
    ]);
    expect(lineDiff('Gone', '')).toEqual([{ kind: 'removed', text: 'Gone' }]);
    expect(lineDiff('', '')).toEqual([]);
  });

  it('finds the longest run of kept lines, not the first match', () => {
    const kinds = lineDiff('a\nb\nc\nd', 'x\nb\nc\nd\na').map((l) => `${l.kind[0]}${l.text}`);
    expect(kinds).toEqual(['ra', 'ax', 'sb', 'sc', 'sd', 'aa']);
  });

  it('compares very long texts as a whole instead of building a huge table', () => {
    const long = Array.from({ length: 2001 }, (_, i) => `line ${i}`).join('\n');
    const diff = lineDiff(long, 'short');
    expect(diff.filter((l) => l.kind === 'removed')).toHaveLength(2001);
    expect(diff.filter((l) => l.kind === 'added')).toEqual([{ kind: 'added', text: 'short' }]);
    expect(lineDiff(long, long).every((l) => l.kind === 'same')).toBe(true);
  });
});
