import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * Reads a list of secrets (e.g. two ingest tokens during a rotation) from Secrets Manager, cached for five
 * minutes so a rotation takes effect without a redeploy. The secret is JSON ({"tokens":[...]}, {"token":"..."} as generated
 * by the stack, or {"url":"..."}) or a comma-separated string.
 */
export function secretListFromSecretsManager(secretArn: string, client = new SecretsManagerClient({}), ttlMs = 300_000): () => Promise<string[]> {
  let cached: { values: string[]; until: number } | undefined;
  return async () => {
    if (cached && cached.until > Date.now()) return cached.values;
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    const values = parseSecretList(SecretString ?? '');
    cached = { values, until: Date.now() + ttlMs };
    return values;
  };
}

export function parseSecretList(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const parsed = JSON.parse(trimmed) as { tokens?: unknown; token?: unknown; url?: unknown };
    const values = [
      ...(Array.isArray(parsed.tokens) ? parsed.tokens : []),
      ...(typeof parsed.token === 'string' ? [parsed.token] : []),
      ...(typeof parsed.url === 'string' ? [parsed.url] : []),
    ];
    return values.filter((value): value is string => typeof value === 'string' && value.length > 0);
  }
  return trimmed
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);
}
