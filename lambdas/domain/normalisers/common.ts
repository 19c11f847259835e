import * as z from '../zod-mini.js';
import { PayloadFormatError, type NormalisedAlert } from '../alert.js';

export interface InboundPayload {
  readonly body: unknown;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export interface Normaliser {
  readonly source: string;
  /** Named in errors: "Not a valid <expected> payload". */
  readonly expected: string;
  normalise(payload: InboundPayload): NormalisedAlert[];
}

export function parseWith<S extends z.ZodMiniType>(schema: S, body: unknown, source: string, expected: string): z.output<S> {
  const result = z.safeParse(schema, body);
  if (!result.success) {
    throw new PayloadFormatError(
      source,
      expected,
      result.error.issues.map((issue) => ({ path: issue.path.length ? issue.path.join('.') : '(body)', message: issue.message })),
    );
  }
  return result.data;
}

export const json = (value: unknown): string => JSON.stringify(value);
