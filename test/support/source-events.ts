import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A source's real payloads (test/events/<source>/*.json), in file-name order. */
export const sourceEvents = (source: string): Json[] =>
  readdirSync(join('test/events', source))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join('test/events', source, f), 'utf8')) as Json);
