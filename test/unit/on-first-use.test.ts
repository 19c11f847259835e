import { onFirstUse } from '../../lambdas/handlers/on-first-use.js';

interface Store {
  get(key: string): Promise<string>;
  put(key: string, value: string): Promise<void>;
}

class MapStore implements Store {
  readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key) ?? '';
  }
  async put(key: string, value: string) {
    this.values.set(key, value);
  }
}

describe('onFirstUse (a port built on its first call: ADR 0018, session 11)', () => {
  it('builds nothing until a method is called, then builds once and calls the adapter with its arguments', async () => {
    const built: MapStore[] = [];
    const port = onFirstUse<Store>(async () => {
      const store = new MapStore();
      built.push(store);
      return store;
    }, ['get', 'put']);
    expect(built).toHaveLength(0);

    await Promise.all([port.put('a', '1'), port.put('b', '2')]);
    expect(await port.get('a')).toBe('1');

    expect(built).toHaveLength(1);
    expect([...built[0]!.values]).toEqual([['a', '1'], ['b', '2']]);
  });

  it('passes on the adapter\'s rejection, and a build that failed is tried again on the next call', async () => {
    let attempts = 0;
    const port = onFirstUse<Store>(async () => {
      attempts++;
      if (attempts === 1) throw new Error('chunk not loaded');
      return new MapStore();
    }, ['get', 'put']);

    await expect(port.get('a')).rejects.toThrow('chunk not loaded');
    await port.put('a', '1');
    expect(await port.get('a')).toBe('1');
    expect(attempts).toBe(2);

    const failing = onFirstUse<Store>(async () => ({ get: async () => Promise.reject(new Error('no such key')), put: async () => undefined }), ['get', 'put']);
    await expect(failing.get('x')).rejects.toThrow('no such key');
  });
});
