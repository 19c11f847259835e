import { signSlackRequest } from '../../lambdas/shared/slack-signature.js';

/** A request exactly as Slack sends it: form-encoded, signed (v0) with the given secret and time. */
export function slackRequest(fields: Record<string, string>, secret: string, now: Date): { body: string; headers: Record<string, string> } {
  const body = new URLSearchParams(fields).toString();
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signSlackRequest(body, secret, timestamp),
    },
  };
}

export function buttonPress(user: { id: string; username: string }, actionId: string, incidentId: string, triggerId: string) {
  return {
    payload: JSON.stringify({
      type: 'block_actions',
      user: { id: user.id, username: user.username, name: user.username, team_id: 'T0TEST' },
      trigger_id: triggerId,
      response_url: `https://hooks.slack.com/actions/T0TEST/1/${triggerId}`,
      actions: [{ action_id: actionId, value: incidentId, type: 'button', action_ts: '1700000000.000100' }],
    }),
  };
}
