/**
 * A value built on first use and kept: for what a cold start should not pay unless a request needs it (the
 * zod schemas of configurations and payloads that only some requests parse; issue 14.6).
 */
export function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}
