import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MANIFEST = fileURLToPath(new URL('../deploy/slack-app-manifest.json', import.meta.url));

/**
 * The Slack app manifest (deploy/slack-app-manifest.json) with the deployed API's URL filled in: paste it at
 * api.slack.com/apps → Create New App → From an app manifest. `apiUrl` may be a CloudFormation token (the
 * stack output) or a literal URL (scripts/slack-manifest.ts).
 */
export function slackAppManifest(apiUrl: string): Record<string, unknown> {
  const template = readFileSync(MANIFEST, 'utf8');
  const placeholder = '{{API_URL}}';
  const parsed = JSON.parse(template) as Record<string, unknown>;
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') return value.includes(placeholder) ? value.split(placeholder).join(apiUrl.replace(/\/$/, '')) : value;
    if (Array.isArray(value)) return value.map(fill);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    return value;
  };
  return fill(parsed) as Record<string, unknown>;
}
