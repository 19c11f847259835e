// Prints the Slack app manifest for a deployed API: npx tsx scripts/slack-manifest.ts https://abc123.execute-api.eu-west-1.amazonaws.com
// (the ApiUrl output of BreachclockStateless; the stack's SlackAppManifest output holds the same JSON).
import { slackAppManifest } from '../lib/slack-manifest.js';

const apiUrl = process.argv[2];
if (!apiUrl || !/^https:\/\/[^/\s]+(\/[^\s]*)?$/.test(apiUrl)) {
  console.error('usage: npx tsx scripts/slack-manifest.ts https://<ApiUrl>   (the ApiUrl output of the BreachclockStateless stack)');
  process.exit(2);
}
console.log(JSON.stringify(slackAppManifest(apiUrl), null, 2));
