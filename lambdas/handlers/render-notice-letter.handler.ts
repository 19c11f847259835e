import { S3Client } from '@aws-sdk/client-s3';
import * as z from '../domain/zod-mini.js';
import { PdfLetterRenderer } from '../adapters/letters/pdf-letter-renderer.js';
import type { RenderLetterRequest } from '../adapters/letters/lambda-letter-writer.js';
import { S3LetterStore } from '../adapters/notices/s3-letter-store.js';
import { RenderingLetterWriter, type LetterWriter } from '../app/letters.js';
import { ConfigurationError } from '../domain/errors.js';
import { once } from '../domain/once.js';
import type { StoredLetter } from '../ports/letters.js';

/**
 * Renders letters (issue 26.5, ADR 0019): invoked by the sender for each letter and, when sending completes,
 * for the batch. The only function that bundles pdf-lib. Logs nothing of its input (names and addresses).
 */
export function makeRenderLetterHandler(writer: LetterWriter) {
  return async (request: RenderLetterRequest): Promise<StoredLetter | null> => {
    if (request.kind === 'batch') return (await writer.writeBatch(request.ref)) ?? null;
    return writer.write(request.objectKey, request.input);
  };
}

const env = once(() => {
  const parsed = z.object({ RECIPIENT_BUCKET: z.string().check(z.minLength(3)), RECIPIENT_KMS_KEY_ARN: z.optional(z.string()) }).safeParse(process.env);
  if (!parsed.success) throw new ConfigurationError('RECIPIENT_BUCKET is not configured on the letter render function');
  return parsed.data;
});

const coldStart = once(() => makeRenderLetterHandler(new RenderingLetterWriter(new S3LetterStore(new S3Client({}), env().RECIPIENT_BUCKET, env().RECIPIENT_KMS_KEY_ARN), new PdfLetterRenderer())));

export const handler = (request: RenderLetterRequest) => coldStart()(request);
