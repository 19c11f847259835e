import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The floors of the code (docs/architecture.md, "Code layout"): each may import only the floors listed for it,
 * so no arrow runs upward; and no module imports itself through others (no circles, type imports included).
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const FLOORS = ['domain', 'ports', 'shared', 'app', 'contracts', 'adapters', 'handlers', 'local', 'dashboard', 'build'] as const;
type Floor = (typeof FLOORS)[number];

const MAY_IMPORT: Record<Floor, readonly Floor[]> = {
  domain: ['domain'],
  ports: ['domain', 'ports'],
  shared: ['domain', 'shared'],
  app: ['domain', 'ports', 'shared', 'app'],
  contracts: ['domain', 'shared', 'contracts'],
  adapters: ['domain', 'ports', 'shared', 'contracts', 'adapters'],
  handlers: ['domain', 'ports', 'shared', 'app', 'contracts', 'adapters', 'handlers'],
  local: ['domain', 'ports', 'shared', 'app', 'contracts', 'adapters', 'handlers', 'local', 'build'],
  dashboard: ['dashboard'],
  build: ['build'],
};

/**
 * Arrows allowed besides, by `import type` only (nothing runs across them): what the API answers
 * (contracts/api-answers.ts) names the use cases' results; the desk (a browser bundle) sees the contracts' types
 * and nothing else of the server.
 */
const MAY_IMPORT_TYPES: Partial<Record<Floor, readonly Floor[]>> = {
  contracts: ['ports', 'app'],
  dashboard: ['contracts'],
};

/** How bundles are built (lib/, beside the CDK stacks): the CDK and the local stack (the desk's bundle) use them. */
const BUILD = ['lib/bundling.ts', 'lib/desk-bundle.ts'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function floorOf(path: string): Floor {
  const [top, second] = relative(ROOT, path).split('/');
  const floor = top === 'local' ? 'local' : top === 'lib' && BUILD.includes(relative(ROOT, path)) ? 'build' : second;
  if (!FLOORS.includes(floor as Floor)) throw new Error(`${relative(ROOT, path)} is on no floor: add its folder to FLOORS and MAY_IMPORT`);
  return floor as Floor;
}

interface ImportEdge {
  readonly from: string;
  readonly to: string;
  readonly specifier: string;
  /** `import type …` / `export type … from`: erased from the JavaScript. */
  readonly typeOnly: boolean;
}

/** Every relative import (static, type-only, re-export, dynamic) of a source, resolved to the file it names. */
function importsOf(file: string, text: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)'(\.{1,2}\/[^']+)'/g)) {
    const specifier = match[1]!;
    const before = text.slice(0, match.index);
    const statement = text.slice(Math.max(before.lastIndexOf('import '), before.lastIndexOf('export ')));
    const typeOnly = !match[0].startsWith('import') && /^(?:import|export)\s+type\s/.test(statement);
    edges.push({ from: file, to: resolve(dirname(file), specifier.replace(/\.js$/, '.ts')), specifier, typeOnly });
  }
  return edges;
}

function graph(files: readonly string[]): Map<string, ImportEdge[]> {
  return new Map(files.map((file) => [file, importsOf(file, readFileSync(file, 'utf8'))]));
}

function upwardImports(edges: Map<string, ImportEdge[]>): string[] {
  return [...edges.values()].flat().flatMap((edge) => {
    const from = floorOf(edge.from);
    const to = floorOf(edge.to);
    if (MAY_IMPORT[from].includes(to) || (edge.typeOnly && MAY_IMPORT_TYPES[from]?.includes(to))) return [];
    return [`${relative(ROOT, edge.from)} (${from}) imports ${edge.specifier} (${to})${edge.typeOnly ? ' (types)' : ''}`];
  });
}

/** Each circle once, as the path of files around it (depth-first search, colouring). */
function circles(edges: Map<string, ImportEdge[]>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const { to } of edges.get(file) ?? []) {
      if (state.get(to) === 'open') found.push([...stack.slice(stack.indexOf(to)), to].map((f) => relative(ROOT, f)).join(' -> '));
      else if (!state.has(to) && edges.has(to)) visit(to);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of edges.keys()) if (!state.has(file)) visit(file);
  return found;
}

const files = [...sources(join(ROOT, 'lambdas')), ...sources(join(ROOT, 'local')), ...BUILD.map((file) => join(ROOT, file))];
const edges = graph(files);

describe('the floors of the code', () => {
  it('has no import that runs up a floor', () => {
    expect(upwardImports(edges)).toEqual([]);
  });

  it('has no import circle', () => {
    expect(circles(edges)).toEqual([]);
  });

  it('keeps the domain free of AWS, the Lambda runtime and the environment', () => {
    const offending = files
      .filter((file) => floorOf(file) === 'domain')
      .flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        return [/from '@aws-sdk\//, /from 'aws-lambda'/, /\bprocess\.env\b/].filter((pattern) => pattern.test(text)).map((pattern) => `${relative(ROOT, file)}: ${pattern}`);
      });
    expect(offending).toEqual([]);
  });

  it('resolves every relative import to a source file (the checks above see every arrow)', () => {
    const unresolved = [...edges.values()].flat().filter((edge) => !edges.has(edge.to) && !/\.(json|css|html|js|mjs)$/.test(edge.to));
    expect(unresolved.map((edge) => `${relative(ROOT, edge.from)}: ${edge.specifier}`)).toEqual([]);
  });

  // The checks themselves: a made-up upward arrow and a made-up circle are found.
  it('finds an upward import and a circle when there is one', () => {
    const domainFile = join(ROOT, 'lambdas/domain/a.ts');
    const appFile = join(ROOT, 'lambdas/app/b.ts');
    const made = new Map<string, ImportEdge[]>([
      [domainFile, importsOf(domainFile, "import { b } from '../app/b.js';")],
      [appFile, importsOf(appFile, "import { a } from '../domain/a.js';")],
    ]);
    expect(upwardImports(made)).toEqual(['lambdas/domain/a.ts (domain) imports ../app/b.js (app)']);
    expect(circles(made)).toEqual(['lambdas/domain/a.ts -> lambdas/app/b.ts -> lambdas/domain/a.ts']);
    // A type-only arrow is allowed only where MAY_IMPORT_TYPES says; a runtime one from the same place is not.
    const contractsFile = join(ROOT, 'lambdas/contracts/c.ts');
    const deskFile = join(ROOT, 'lambdas/dashboard/src/d.ts');
    const typed = new Map<string, ImportEdge[]>([
      [contractsFile, importsOf(contractsFile, "import type { B } from '../app/b.js';\nimport { b } from '../app/b.js';")],
      [deskFile, importsOf(deskFile, "import type { C } from '../../contracts/c.js';\nimport { d } from '../../domain/a.js';")],
    ]);
    expect(upwardImports(typed)).toEqual(['lambdas/contracts/c.ts (contracts) imports ../app/b.js (app)', 'lambdas/dashboard/src/d.ts (dashboard) imports ../../domain/a.js (domain)']);
  });
});
