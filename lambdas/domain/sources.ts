/** Every source breachclock accepts alerts from (POST /alerts/{source}, EventBridge for guardduty/securityhub). */
export const ALERT_SOURCES = ['generic', 'alertmanager', 'grafana', 'datadog', 'cloudwatch', 'guardduty', 'securityhub', 'sentry', 'pagerduty'] as const;
export type AlertSource = (typeof ALERT_SOURCES)[number];
