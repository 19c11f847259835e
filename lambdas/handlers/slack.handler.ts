import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { handleInteraction, handleSlashCommand, runSlackJob, type SlackDeps, type SlackJob } from '../app/slack-interactions.js';
import { header, HttpError, json, readRawBody, type HttpEvent, type HttpResult } from '../shared/http.js';
import { httpErrors } from './middleware/http-errors.middleware.js';
import { logger } from '../shared/logger.js';
import type { SlackWorkspace } from '../shared/config.js';
import { SlackJobSignatureError, SlackSignatureError, SlackWorkspaceError, verifySlackJob, verifySlackRequest, verifySlackWorkspace, type SignedSlackJob } from '../shared/slack-signature.js';
import { once } from '../domain/once.js';
import { buildSlackRuntime } from './slack-runtime.js';

export interface SlackHandlerDeps extends SlackDeps {
  readonly signingSecrets: () => Promise<readonly string[]>;
  /**
   * The real clock for the signature's 5-minute window (Slack signs with the real time), never the domain's
   * `clock`, which is virtual on the local stack; injectable for tests.
   */
  readonly securityNow?: () => Date;
  /**
   * The only team (and app) whose requests are answered (issue 24.5); undefined answers any workspace whose
   * request carries a valid signature (the local stack without SLACK_TEAM_ID; the function on AWS does not
   * start without it, slack-runtime.ts).
   */
  readonly workspace?: SlackWorkspace;
}

/** 403 unless the request comes from the configured workspace and app. */
function checkWorkspace(deps: SlackHandlerDeps, origin: { teamId?: string | undefined; appId?: string | undefined }): void {
  if (!deps.workspace) return;
  try {
    verifySlackWorkspace(origin, deps.workspace);
  } catch (error) {
    if (error instanceof SlackWorkspaceError) {
      logger.warn('slack request from another workspace or app refused', { reason: error.message });
      throw new HttpError(403, 'wrong_workspace', `${error.message}: this breachclock answers one Slack workspace and app`);
    }
    throw error;
  }
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/**
 * POST /slack/commands and POST /slack/actions. Every request is verified (v0 signature, 5-minute window)
 * before anything else; the answer comes at once, the work that may take longer is enqueued.
 */
export function makeSlackHandler(deps: SlackHandlerDeps) {
  return middy<HttpEvent, HttpResult>()
    .use(httpErrors())
    .handler(async (event) => {
      const raw = readRawBody(event, 65_536);
      try {
        verifySlackRequest(
          { rawBody: raw, timestamp: header(event, 'x-slack-request-timestamp'), signature: header(event, 'x-slack-signature') },
          await deps.signingSecrets(),
          (deps.securityNow ?? (() => new Date()))(),
        );
      } catch (error) {
        if (error instanceof SlackSignatureError) throw new HttpError(401, 'invalid_signature', error.message);
        throw error;
      }
      const form = new URLSearchParams(raw.toString('utf8'));
      const path = event.rawPath.replace(/\/+$/, '');
      if (path.endsWith('/slack/commands')) {
        checkWorkspace(deps, { teamId: form.get('team_id') ?? undefined, appId: form.get('api_app_id') ?? undefined });
        const answer = await handleSlashCommand(deps, form);
        logger.info('slack command', { verb: (form.get('text') ?? '').trim().split(/\s+/)[0] || 'help' });
        return json(200, answer);
      }
      if (path.endsWith('/slack/actions')) {
        const text = form.get('payload');
        if (!text) throw new HttpError(400, 'invalid_request', 'Slack interactions carry a "payload" form field');
        let payload: { type?: string } & Record<string, unknown>;
        try {
          payload = JSON.parse(text) as typeof payload;
        } catch (error) {
          throw new HttpError(400, 'invalid_json', `The payload field is not JSON: ${(error as Error).message}`);
        }
        if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
          throw new HttpError(400, 'invalid_request', 'The payload field must be a JSON object (a Slack interaction)', [{ path: 'payload', message: 'not an object' }]);
        }
        // block_actions and view_submission name the team in team.id (null for some org-wide installs) and user.team_id.
        const team = payload.team as { id?: unknown } | null | undefined;
        const user = payload.user as { team_id?: unknown } | null | undefined;
        checkWorkspace(deps, { teamId: str(team?.id) ?? str(user?.team_id), appId: str(payload.api_app_id) });
        const answer = await handleInteraction(deps, payload);
        logger.info('slack interaction', { type: payload.type, retry: header(event, 'x-slack-retry-num') ?? '0' });
        return answer ? json(200, answer) : { statusCode: 200, body: '' };
      }
      throw new HttpError(404, 'not_found', `No Slack route ${path}; use /slack/commands or /slack/actions`);
    });
}

/**
 * A queued Slack job (asynchronous self-invocation on AWS): `{breachclockSlackJob: SignedSlackJob}`. Anything
 * with that key is taken for a job and must then pass `handleSlackJobEvent`'s signature check.
 */
export function isSlackJobEvent(event: unknown): event is { breachclockSlackJob: unknown } {
  return typeof event === 'object' && event !== null && 'breachclockSlackJob' in event;
}

/**
 * Runs a queued job only if this function signed it (issue 24.5): the event of an asynchronous invocation can
 * come from anyone allowed to invoke the function, and the job names the actor. A refused job throws, so
 * Lambda's retries end in the asynchronous-failure queue and its alarm; nothing of it is done.
 */
export async function handleSlackJobEvent(deps: SlackDeps & Pick<SlackHandlerDeps, 'signingSecrets' | 'securityNow'>, event: { breachclockSlackJob: unknown }): Promise<void> {
  let job: SlackJob;
  try {
    job = verifySlackJob(event.breachclockSlackJob, await deps.signingSecrets(), (deps.securityNow ?? (() => new Date()))()) as SlackJob;
  } catch (error) {
    if (error instanceof SlackJobSignatureError) logger.warn('slack job refused', { reason: error.message });
    throw error;
  }
  await runSlackJob(deps, job);
}

/** The event that queues a job: signed with the Slack signing secret's job key, expiring. */
export type SlackJobEvent = { readonly breachclockSlackJob: SignedSlackJob<SlackJob> };

// Imported statically: every invocation needs the runtime, so its code belongs to the init phase (with code
// splitting a dynamic import would only move its compilation into the first request: ADR 0018, session 11).
const coldStart = once(() => {
  const { deps, signingSecrets, workspace } = buildSlackRuntime();
  return { deps: { ...deps, signingSecrets }, http: makeSlackHandler({ ...deps, signingSecrets, ...(workspace ? { workspace } : {}) }) };
});

export const handler = async (event: HttpEvent | SlackJobEvent, context: Context) => {
  const { deps, http } = coldStart();
  if (isSlackJobEvent(event)) return handleSlackJobEvent(deps, event);
  return http(event, context);
};
