import { alertmanagerNormaliser } from './alertmanager.js';
import type { Normaliser } from './common.js';
import { datadogNormaliser } from './datadog.js';
import { genericNormaliser } from './generic.js';
import { grafanaNormaliser } from './grafana.js';
import { guardDutyNormaliser } from './guardduty.js';
import { pagerDutyNormaliser } from './pagerduty.js';
import { securityHubNormaliser } from './securityhub.js';
import { sentryNormaliser } from './sentry.js';

/** Sources posting their own JSON. CloudWatch alarms arrive in SNS envelopes and are handled apart. */
export const NORMALISERS: Readonly<Record<string, Normaliser>> = {
  generic: genericNormaliser,
  alertmanager: alertmanagerNormaliser,
  grafana: grafanaNormaliser,
  datadog: datadogNormaliser,
  guardduty: guardDutyNormaliser,
  securityhub: securityHubNormaliser,
  sentry: sentryNormaliser,
  pagerduty: pagerDutyNormaliser,
};


export type { Normaliser, InboundPayload } from './common.js';
