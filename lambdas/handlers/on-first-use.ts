import { onceAsync } from '../domain/once.js';

/**
 * A port whose adapter is built on its first call, from a module imported then (ADR 0018, session 11): the
 * bundles are built with code splitting (lib/bundling.ts), so a dynamically imported module and what only it
 * imports (an AWS SDK client, a CSV parser) are a chunk of their own, compiled when a request first needs
 * them instead of at every cold start. Every method of the port must return a promise. A failed build is
 * tried again on the next call.
 */
export function onFirstUse<T extends object>(build: () => Promise<T>, methods: readonly (keyof T & string)[]): T {
  const load = onceAsync(build);
  const port: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const method of methods) {
    port[method] = async (...args) => {
      const target = await load();
      return (target[method] as (...a: unknown[]) => Promise<unknown>).apply(target, args);
    };
  }
  return port as T;
}
