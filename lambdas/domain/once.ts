/**
 * A value built on first use and kept: for what a cold start should not pay unless a request needs it (the
 * zod schemas of configurations and payloads that only some requests parse; issue 14.6), and for each
 * function's set-up on its first invocation (the handlers' `handler`). A build that throws is not kept: the
 * next call builds again.
 */
export function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}

/**
 * `once` for an asynchronous build: callers share the build under way, and a build that fails is forgotten,
 * so the next call tries again (a failed set-up is not cached for the life of the container).
 */
export function onceAsync<T>(build: () => Promise<T>): () => Promise<T> {
  let building: Promise<T> | undefined;
  return () =>
    (building ??= build().catch((error: unknown) => {
      building = undefined;
      throw error;
    }));
}
