import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { LetterInput, LetterWriter } from '../../ports/letters.js';
import type { NoticeRef } from '../../ports/delivery-store.js';
import type { StoredLetter } from '../../ports/letters.js';

/** A letter request to the render function (render-notice-letter.handler.ts). */
export type RenderLetterRequest = { readonly kind: 'letter'; readonly objectKey: string; readonly input: LetterInput } | { readonly kind: 'batch'; readonly ref: NoticeRef };

/**
 * The sender's letters on AWS: a synchronous invocation of the render function, which holds the PDF library
 * (ADR 0019: it stays out of the sender's bundle). The payload carries one person's name and address, inside
 * AWS (no log of it: the render function logs none).
 */
export class LambdaLetterWriter implements LetterWriter {
  constructor(
    private readonly client: LambdaClient,
    private readonly functionName: string,
  ) {}

  private async invoke(request: RenderLetterRequest): Promise<StoredLetter | undefined> {
    const result = await this.client.send(new InvokeCommand({ FunctionName: this.functionName, Payload: new TextEncoder().encode(JSON.stringify(request)) }));
    const text = result.Payload ? new TextDecoder().decode(result.Payload) : 'null';
    if (result.FunctionError) throw new Error(`the letter render function failed (${result.FunctionError})`);
    return (JSON.parse(text) as StoredLetter | null) ?? undefined;
  }

  async write(objectKey: string, input: LetterInput): Promise<StoredLetter> {
    const stored = await this.invoke({ kind: 'letter', objectKey, input });
    if (!stored) throw new Error('the letter render function stored nothing');
    return stored;
  }

  writeBatch(ref: NoticeRef): Promise<StoredLetter | undefined> {
    return this.invoke({ kind: 'batch', ref });
  }
}
