/**
 * The numbers `npm start` takes from its environment (docs/configuration.md), each a whole number within
 * bounds: a typo such as `OUTBOX_LEASE_MS=60s` stops the start with one line naming the variable, what it
 * takes and what it got, instead of running with NaN (a lease that never holds, a clock that spins).
 */
export const START_NUMBERS = {
  PORT: { min: 0, max: 65_535, what: 'a TCP port (0: any free one)', fallback: 3_000 },
  DYNAMODB_PORT: { min: 1, max: 65_535, what: 'a TCP port', fallback: 8_000 },
  SES_PORT: { min: 1, max: 65_535, what: 'a TCP port', fallback: 8_005 },
  CLOCK_INTERVAL_MS: { min: 100, max: 600_000, what: 'milliseconds between clock ticks', fallback: 2_000 },
  // Recipients per send-queue message: at most AWS's own 100 (each message is one item of at most 400 KB locally).
  SEND_CHUNK_SIZE: { min: 1, max: 100, what: 'recipients per send-queue message', fallback: undefined },
  // The dispatcher's claim must outlast one send (a Slack or SNS call with its retries takes seconds).
  OUTBOX_LEASE_MS: { min: 1_000, max: 3_600_000, what: "milliseconds an outbox claim holds", fallback: undefined },
  // Above the notice sender's 120 s lease, or a chunk waiting on an interrupted send is dead-lettered.
  SEND_VISIBILITY_TIMEOUT_MS: { min: 120_001, max: 43_200_000, what: "milliseconds of the send queue's visibility timeout, above the 120 s send lease", fallback: undefined },
} as const;

export type StartNumberName = keyof typeof START_NUMBERS;

export class StartConfigurationError extends Error {
  override readonly name = 'StartConfigurationError';
}

/**
 * The environment's value of one of `npm start`'s numbers: its fallback when unset or empty, else a whole
 * number within its bounds; anything else throws StartConfigurationError naming it.
 */
export function startNumber<N extends StartNumberName>(env: Readonly<Record<string, string | undefined>>, name: N): number | (typeof START_NUMBERS)[N]['fallback'] {
  const spec = START_NUMBERS[name];
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return spec.fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < spec.min || value > spec.max) {
    throw new StartConfigurationError(`${name} must be a whole number from ${spec.min} to ${spec.max} (${spec.what}); got ${JSON.stringify(env[name]!.slice(0, 40))}`);
  }
  return value;
}
