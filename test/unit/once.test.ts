import { once, onceAsync } from '../../lambdas/domain/once.js';

describe('once', () => {
  it('builds on first use and keeps the value; a build that throws is tried again on the next call', () => {
    let builds = 0;
    const value = once(() => {
      builds += 1;
      if (builds === 1) throw new Error('cold start failed');
      return { builds };
    });
    expect(() => value()).toThrow('cold start failed');
    expect(value()).toEqual({ builds: 2 });
    expect(value()).toBe(value());
    expect(builds).toBe(2);
  });

  it('async: callers share the build under way; a failed build is forgotten, not cached', async () => {
    let builds = 0;
    const value = onceAsync(async () => {
      builds += 1;
      await Promise.resolve();
      if (builds === 1) throw new Error('import failed');
      return { builds };
    });
    await expect(Promise.all([value(), value()])).rejects.toThrow('import failed');
    expect(builds).toBe(1);
    const [a, b] = await Promise.all([value(), value()]);
    expect(a).toBe(b);
    expect(await value()).toEqual({ builds: 2 });
    expect(builds).toBe(2);
  });
});
