import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../../local/virtual-clock.js';

/** Issue 15.5: virtual time is bounded and a damaged saved offset never breaks the data directory. */
describe('the local virtual clock', () => {
  const file = () => join(mkdtempSync(join(tmpdir(), 'vclock-')), 'virtual-clock.json');

  it('refuses an advance past 400 days or past the holiday tables, and keeps the time it had', () => {
    const clock = new VirtualClock(file());
    expect(() => clock.advance(100_000_000 * 86_400_000)).toThrow(/at most 400d/);
    expect(clock.offset).toBe(0);
    let refusal: Error | undefined;
    for (let i = 0; i < 40 && !refusal; i++) {
      try {
        clock.advance(400 * 86_400_000);
      } catch (error) {
        refusal = error as Error;
      }
    }
    expect(refusal?.message).toMatch(/before 2061/);
    expect(clock.now().getUTCFullYear()).toBeLessThan(2061);
    expect(clock.now().getUTCFullYear()).toBeGreaterThanOrEqual(2059);
  });

  it('starts again from real time when the saved offset is damaged or out of range, and says so', () => {
    for (const saved of ['{"offsetMs":8.64e21}', '{"offsetMs":-5}', '{"offsetMs":"x"}', 'not json{']) {
      const path = file();
      writeFileSync(path, saved);
      const clock = new VirtualClock(path);
      expect(clock.offset).toBe(0);
      expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(1_000);
      if (saved !== 'not json{') {
        expect(clock.recovered).toMatch(/not usable/);
        expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ offsetMs: 0 });
      }
    }
  });
});
