import { readFileSync } from 'node:fs';

/**
 * Issue 11.13: every dependency with an install script is reviewed in package.json's `allowScripts` (npm's
 * install-script approvals), so `npm ci` runs the same scripts everywhere and prints no warning.
 */
describe('package.json', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { allowScripts?: Record<string, boolean> };
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean; version?: string }> };

  it('declares a decision for each dependency that has an install script', () => {
    const withScripts = Object.entries(lock.packages)
      .filter(([path, entry]) => path && entry.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts.length).toBeGreaterThan(0);
    const decided = Object.keys(pkg.allowScripts ?? {}).map((entry) => entry.replace(/@[^@/]+$/, ''));
    expect(withScripts.filter((name) => !decided.includes(name))).toEqual([]);
  });
});
