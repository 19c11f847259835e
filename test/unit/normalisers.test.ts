import { PayloadFormatError } from '../../lambdas/domain/alert.js';
import { cloudWatchAlarmAlert } from '../../lambdas/domain/normalisers/cloudwatch.js';
import { NORMALISERS } from '../../lambdas/domain/normalisers/index.js';
import amGroup from '../events/alertmanager/group-firing.json' with { type: 'json' };
import amResolved from '../events/alertmanager/resolved.json' with { type: 'json' };
import amLegacy from '../events/alertmanager/legacy-no-fingerprint.json' with { type: 'json' };
import grafana from '../events/grafana/firing.json' with { type: 'json' };
import ddDefault from '../events/datadog/default-template.json' with { type: 'json' };
import ddRecommended from '../events/datadog/recommended-template.json' with { type: 'json' };
import ddRecovered from '../events/datadog/recommended-recovered.json' with { type: 'json' };
import cwAlarm from '../events/cloudwatch/alarm-notification.json' with { type: 'json' };
import cwOk from '../events/cloudwatch/alarm-ok.json' with { type: 'json' };
import gdExfil from '../events/guardduty/eventbridge-exfiltration.json' with { type: 'json' };
import shImported from '../events/securityhub/eventbridge-imported.json' with { type: 'json' };
import sentryMetric from '../events/sentry/metric-alert-critical.json' with { type: 'json' };
import sentryEvent from '../events/sentry/event-alert-triggered.json' with { type: 'json' };
import pdTrigger from '../events/pagerduty/trigger.json' with { type: 'json' };
import pdResolve from '../events/pagerduty/resolve.json' with { type: 'json' };

const normalise = (source: string, body: unknown, headers: Record<string, string> = {}) => NORMALISERS[source]!.normalise({ body, headers });

describe('normalisers: identity, status and severity per tool', () => {
  it('Alertmanager: one incident per notification group (groupKey); each alert an instance (its fingerprint and start) (issue 12)', () => {
    const alerts = normalise('alertmanager', amGroup);
    const group = `group:${amGroup.groupKey}`;
    expect(alerts.map((a) => [a.fingerprint, a.senderEventId, a.status, a.severity])).toEqual([
      [group, '8f6e1a2b3c4d5e6f@2026-11-23T02:58:10.123Z#firing', 'firing', 'critical'],
      [group, '0a1b2c3d4e5f6a7b@2026-11-23T02:59:40Z#firing', 'firing', 'critical'],
    ]);
    expect(alerts[0]).toMatchObject({ title: 'SuspiciousDbExport: Bulk read of customer rows on db-1', occurredAt: '2026-11-23T02:58:10.123Z', labels: { breach_candidate: 'true' } });
    expect(JSON.parse(alerts[0]!.raw!)).toMatchObject({ fingerprint: '8f6e1a2b3c4d5e6f', groupKey: amGroup.groupKey });
  });

  it('Alertmanager: resolution carries the same fingerprint; older senders without fingerprint get a stable label hash', () => {
    expect(normalise('alertmanager', amResolved)[0]).toMatchObject({ fingerprint: `group:${amGroup.groupKey}`, senderEventId: '8f6e1a2b3c4d5e6f@2026-11-23T02:58:10.123Z#resolved', status: 'resolved' });
    const [first] = normalise('alertmanager', amLegacy);
    const reordered = { ...amLegacy, alerts: [{ ...amLegacy.alerts[0]!, labels: { instance: 'web-3:9100', severity: 'warning', alertname: 'HighCPU' } }] };
    expect(first!.senderEventId).toMatch(/^labels:[0-9a-f]{16}@2026-11-23T02:00:00Z#firing$/);
    expect(normalise('alertmanager', reordered)[0]!.senderEventId).toBe(first!.senderEventId);
    // Without a group key, each alert is its own group.
    const { groupKey: _none, ...ungrouped } = amLegacy as typeof amLegacy & { groupKey?: string };
    expect(normalise('alertmanager', { ...ungrouped, groupKey: '' })[0]!.fingerprint).toMatch(/^labels:[0-9a-f]{16}$/);
    expect(first!.severity).toBe('medium');
  });

  it('Grafana: alerts with their fingerprint and labels; values kept as evidence', () => {
    const [alert] = normalise('grafana', grafana);
    expect(alert).toMatchObject({ source: 'grafana', fingerprint: `group:${grafana.groupKey}`, senderEventId: 'c6eadffa33fcdf37@2026-11-23T01:51:03.157076+01:00#firing', severity: 'high', status: 'firing', occurredAt: '2026-11-23T00:51:03.157Z' });
    expect(JSON.parse(alert!.raw!).values).toEqual({ B: 12, C: 1 });
  });

  it('Datadog: the recommended template groups by aggregation key; the default template falls back to the title', () => {
    const [fired] = normalise('datadog', ddRecommended);
    const [recovered] = normalise('datadog', ddRecovered);
    expect(fired).toMatchObject({ fingerprint: 'aggreg:9bd4ac313a4d1e8fae2482df7b77628', status: 'firing', severity: 'critical', senderEventId: '8079658230437411871', labels: { service: 'auth', security: 'true' } });
    expect(recovered).toMatchObject({ fingerprint: fired!.fingerprint, status: 'resolved' });
    const [plain] = normalise('datadog', ddDefault);
    expect(plain).toMatchObject({ fingerprint: 'title:Failed logins spike on auth-service', title: 'Failed logins spike on auth-service', status: 'firing' });
    expect(normalise('datadog', { ...ddDefault, id: '2', title: '[Recovered] Failed logins spike on auth-service' })[0]).toMatchObject({ fingerprint: plain!.fingerprint, status: 'resolved' });
  });

  it('CloudWatch: identity is account + region + alarm name; OK resolves; the SNS MessageId makes redelivery idempotent', () => {
    const alarm = cloudWatchAlarmAlert(cwAlarm.Message, cwAlarm.MessageId);
    expect(alarm).toMatchObject({ fingerprint: '111122223333/eu-west-1/s3-unusual-getobject', status: 'firing', senderEventId: cwAlarm.MessageId, occurredAt: '2026-11-23T02:56:12.345Z' });
    expect(cloudWatchAlarmAlert(cwOk.Message, cwOk.MessageId)).toMatchObject({ fingerprint: alarm.fingerprint, status: 'resolved' });
    expect(() => cloudWatchAlarmAlert('{"hello":"world"}', 'x')).toThrow(PayloadFormatError);
  });

  it('GuardDuty: the finding id, not the EventBridge event id; type as category; severity by GuardDuty bands; archived resolves', () => {
    const [finding] = normalise('guardduty', gdExfil);
    expect(finding).toMatchObject({
      fingerprint: '16afba5c5c43e07c9e3e5e2e544e95df',
      category: 'Exfiltration:S3/AnomalousBehavior',
      severity: 'high',
      senderEventId: 'c8c4daa7-a20c-2f03-0070-b7393dd542ad',
      occurredAt: '2026-11-23T02:41:10.000Z',
      observedAt: '2026-11-23T02:49:30.123Z',
    });
    expect(normalise('guardduty', gdExfil.detail)[0]!.fingerprint).toBe(finding!.fingerprint);
    const archived = { ...gdExfil, id: 'other', detail: { ...gdExfil.detail, service: { ...gdExfil.detail.service, archived: true } } };
    expect(normalise('guardduty', archived)[0]!.status).toBe('resolved');
  });

  it('Security Hub: one alert per ASFF finding, keyed by product and finding id; RESOLVED workflow resolves', () => {
    const [finding] = normalise('securityhub', shImported);
    expect(finding).toMatchObject({ severity: 'high', status: 'firing', category: 'Sensitive Data Identifications/PII/SensitiveData:S3Object-Personal' });
    expect(finding!.fingerprint).toContain('arn:aws:macie:eu-west-1:111122223333:finding/f2893b211841');
    const resolved = { findings: [{ ...shImported.detail.findings[0]!, Workflow: { Status: 'RESOLVED' } }] };
    expect(normalise('securityhub', resolved)[0]).toMatchObject({ fingerprint: finding!.fingerprint, status: 'resolved' });
  });

  it('Sentry: metric alerts by incident id (resolved matches), issue alerts by issue id', () => {
    const [metric] = normalise('sentry', sentryMetric, { 'sentry-hook-resource': 'metric_alert', 'request-id': 'req-1' });
    expect(metric).toMatchObject({ fingerprint: 'metric:53', status: 'firing', severity: 'critical', senderEventId: 'req-1' });
    const [resolved] = normalise('sentry', { ...sentryMetric, action: 'resolved' }, { 'sentry-hook-resource': 'metric_alert' });
    expect(resolved).toMatchObject({ fingerprint: 'metric:53', status: 'resolved' });
    const [issue] = normalise('sentry', sentryEvent, { 'sentry-hook-resource': 'event_alert' });
    expect(issue).toMatchObject({ fingerprint: 'issue:1170820242', severity: 'high', labels: { security: 'true' } });
  });

  it('PagerDuty: dedup_key is the identity; resolve and acknowledge carry it; the routing key is never kept', () => {
    const [trigger] = normalise('pagerduty', pdTrigger);
    expect(trigger).toMatchObject({ fingerprint: 'waf/credential-stuffing/login', severity: 'critical', status: 'firing', labels: { class: 'security' }, occurredAt: '2026-11-23T02:57:00.000Z' });
    expect(trigger!.raw).not.toContain(pdTrigger.routing_key);
    expect(normalise('pagerduty', pdResolve)[0]).toMatchObject({ fingerprint: trigger!.fingerprint, status: 'resolved' });
  });

  it('names the expected format and every problem when a payload is not in it', () => {
    let error: unknown;
    try {
      normalise('alertmanager', { version: '3', alerts: [] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PayloadFormatError);
    expect((error as PayloadFormatError).message).toBe('Not a valid Prometheus Alertmanager webhook (version 4) payload');
    expect((error as PayloadFormatError).issues.map((i) => i.path)).toEqual(expect.arrayContaining(['version', 'alerts', 'groupKey']));
  });
});
