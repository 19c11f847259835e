import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Issue 15.5: every variable docs/configuration.md documents is read somewhere (or it is not documented). */
it('reads every environment variable docs/configuration.md documents', () => {
  const doc = readFileSync('docs/configuration.md', 'utf8');
  // Names in the environment table's first column, and in the local stack's "honours" list.
  const tableNames = doc.split('\n').filter((line) => line.startsWith('| `')).flatMap((line) => [...line.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]{2,})`/g)].map((m) => m[1]!));
  const local = /`npm start` honours([\s\S]*?)Delete `\.data\/`/.exec(doc)?.[1] ?? '';
  const localNames = [...local.matchAll(/`([A-Z][A-Z0-9_]{2,})`/g)].map((m) => m[1]!);
  const documented = [...new Set([...tableNames, ...localNames])];
  expect(documented.length).toBeGreaterThan(20);

  const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : /\.(ts|mjs)$/.test(f) ? [join(dir, f)] : []));
  const source = ['lambdas', 'local', 'lib', 'bin', 'scripts'].flatMap(files).map((f) => readFileSync(f, 'utf8')).join('\n');
  // Read means accessed (process.env.X, env.X, the config schema's e.X) or declared as a schema / env key (X: …), not just mentioned.
  const unread = documented.filter((name) => !new RegExp(`((process\\.env|\\benv|\\be)\\.${name}\\b)|(\\b${name}\\s*:)`).test(source));
  expect(unread).toEqual([]);
});
