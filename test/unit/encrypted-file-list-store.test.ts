import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { EncryptedFileListStore } from '../../local/encrypted-file-list-store.js';

/** The local stand-in for S3's lifecycle rule: expired lists deleted by the clock tick, quietly when raced (issue 27.5 log noise). */
describe('the local list store deletes expired lists', () => {
  const T = new Date('2026-11-23T02:00:00Z');
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'breachclock-lists-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const seed = async (store: EncryptedFileListStore, count: number) => {
    for (let i = 0; i < count; i++) await store.put(`lists/INC-${i}/n-${i}.csv`, Readable.from(['email\nx@y.example\n']), new Date(T.getTime() - 1_000));
    await store.put('lists/kept/n.csv', Readable.from(['email\nk@y.example\n']), new Date(T.getTime() + 3_600_000));
  };
  const remaining = () => readdirSync(join(dir, 'lists'), { recursive: true }).filter((name) => String(name).endsWith('.csv'));

  it('two ticks at once (the second joins the walk in progress): every expired list deleted, the unexpired kept', async () => {
    const store = await EncryptedFileListStore.create(dir);
    await seed(store, 40);
    const [a, b] = await Promise.all([store.sweepExpired(T), store.sweepExpired(T)]);
    expect([a, b]).toEqual([40, 40]);
    expect(remaining()).toEqual([join('kept', 'n.csv')]);
  });

  it('a list whose expiry file is gone by the time the walk reads it is passed over, not an error (it was "list expiry failed: ENOENT")', async () => {
    const store = await EncryptedFileListStore.create(dir);
    await seed(store, 3);
    // Listed by the walk, gone when read: what another walk or a notice's own clean-up leaves for a moment.
    mkdirSync(join(dir, 'lists/INC-gone'), { recursive: true });
    symlinkSync(join(dir, 'lists/INC-gone/removed-meanwhile'), join(dir, 'lists/INC-gone/n.csv.expires'));
    await expect(store.sweepExpired(T)).resolves.toBe(3);
    expect(remaining()).toEqual([join('kept', 'n.csv')]);
  });

  it('two walks over the same files (two processes) and a delete meanwhile: no ENOENT, each list deleted', async () => {
    const first = await EncryptedFileListStore.create(dir);
    const second = await EncryptedFileListStore.create(dir);
    await seed(first, 60);
    const results = await Promise.all([first.sweepExpired(T), second.sweepExpired(T), first.delete('lists/INC-30/n-30.csv')]);
    expect((results[0] as number) + (results[1] as number)).toBeGreaterThanOrEqual(59);
    expect(remaining()).toEqual([join('kept', 'n.csv')]);
    expect(existsSync(join(dir, 'lists/INC-30/n-30.csv.expires'))).toBe(false);
  });
});
