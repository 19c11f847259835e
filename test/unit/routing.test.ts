import { DEFAULT_ROUTING, DEFAULT_ROUTING_CONFIG, parseRoutingRules, routeAlert, type RoutingRules } from '../../lambdas/domain/routing.js';
import { ConfigurationError } from '../../lambdas/domain/errors.js';
import type { NormalisedAlert } from '../../lambdas/domain/alert.js';

const alert = (overrides: Partial<NormalisedAlert>): NormalisedAlert => ({ source: 'alertmanager', fingerprint: 'f', title: 'x', severity: 'medium', status: 'firing', ...overrides });

describe('routing rules', () => {
  it.each([
    ['a generic alert opens', alert({ source: 'generic' }), 'open', 'generic-alerts-open'],
    ['a GuardDuty exfiltration finding opens', alert({ source: 'guardduty', category: 'Exfiltration:S3/AnomalousBehavior' }), 'open', 'guardduty-breach-finding-types'],
    ['a GuardDuty port probe only attaches', alert({ source: 'guardduty', category: 'Recon:EC2/PortProbeUnprotectedPort' }), 'attach', 'everything-else-attaches'],
    ['a high Security Hub finding opens', alert({ source: 'securityhub', severity: 'high' }), 'open', 'securityhub-high-and-critical'],
    ['a low Security Hub finding attaches', alert({ source: 'securityhub', severity: 'low' }), 'attach', 'everything-else-attaches'],
    ['a labelled breach candidate opens', alert({ labels: { breach_candidate: 'TRUE' } }), 'open', 'labelled-breach-candidate'],
    ['a label value must match whole', alert({ labels: { breach_candidate: 'untrue' } }), 'attach', 'everything-else-attaches'],
    ['a CloudWatch alarm described as breach candidate opens', alert({ source: 'cloudwatch', description: 'S3 reads. breach_candidate' }), 'open', 'described-breach-candidate'],
    ['a CPU alarm only attaches', alert({ source: 'cloudwatch', title: 'web-cpu-high: Threshold Crossed' }), 'attach', 'everything-else-attaches'],
  ])('%s', async (_name, input, action, rule) => {
    expect(await routeAlert(DEFAULT_ROUTING, input)).toMatchObject({ action, rule });
  });

  it('the default rules, compiled without the schema at load, are valid configured rules and compile to the same rules', async () => {
    // Patterns are compiled closures: compare everything else, and which patterns each rule has.
    const shape = (routing: RoutingRules) =>
      routing.rules.map(({ category, text, labels, ...rest }) => ({ ...rest, category: Boolean(category), text: Boolean(text), labels: labels?.map(([name]) => name) }));
    const parsed = await parseRoutingRules(JSON.parse(JSON.stringify(DEFAULT_ROUTING_CONFIG)));
    expect(shape(parsed)).toEqual(shape(DEFAULT_ROUTING));
  });

  it('can override severity, and records when no rule matches', async () => {
    const rules = await parseRoutingRules([{ name: 'pci', when: { labels: { data: 'card.*' } }, then: 'open', severity: 'critical' }]);
    expect(await routeAlert(rules, alert({ labels: { data: 'cardholder' } }))).toEqual({ action: 'open', rule: 'pci', severity: 'critical' });
    expect(await routeAlert(rules, alert({}))).toEqual({ action: 'record', rule: '(no rule matched)', severity: 'medium' });
  });

  it('rejects unknown sources, bad regular expressions and unknown fields at start, naming each', async () => {
    let error: unknown;
    try {
      await parseRoutingRules([
        { name: 'a', when: { source: ['nagios'] }, then: 'open' },
        { name: 'b', when: { text: '([' }, then: 'record' },
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).issues).toEqual([
      expect.stringMatching(/^0\.when\.source: unknown source "nagios"/),
      expect.stringMatching(/^1\.when\.text: not a valid regular expression/),
    ]);
    await expect(parseRoutingRules([{ name: 'c', when: { sorce: ['generic'] }, then: 'open' }])).rejects.toThrow(/Unrecognized key/);
    await expect(parseRoutingRules([{ name: 'd', then: 'escalate' }])).rejects.toThrow(ConfigurationError);
  });

  it('security review (issue 11.10): patterns run in linear time on attacker-controlled text; backtracking-only syntax is refused at load', async () => {
    // With a backtracking engine each of these takes exponential (or high polynomial) time on 64 KiB.
    const rules = await parseRoutingRules([
      { name: 'nested', when: { text: '(a+)+$' }, then: 'open' },
      { name: 'alternation', when: { labels: { team: '(a|aa)*b' } }, then: 'open' },
      { name: 'spaces', when: { category: '\\s*\\s*\\s*x$' }, then: 'open' },
    ]);
    const hostile = `${'a'.repeat(65_536)}!`;
    const started = process.hrtime.bigint();
    expect(await routeAlert(rules, alert({ title: hostile, labels: { team: 'a'.repeat(65_536) }, category: `${' '.repeat(65_536)}y` }))).toMatchObject({ action: 'record' });
    // Not a timing assertion (benchmarks carry those): a backtracking engine never gets here at all.
    expect(Number(process.hrtime.bigint() - started)).toBeGreaterThan(0);
    expect(await routeAlert(rules, alert({ labels: { team: 'aab' } }))).toMatchObject({ action: 'open', rule: 'alternation' });

    await expect(parseRoutingRules([{ name: 'backref', when: { text: '(a)\\1' }, then: 'open' }])).rejects.toThrow(ConfigurationError);
    await expect(parseRoutingRules([{ name: 'lookahead', when: { text: 'foo(?=bar)' }, then: 'open' }])).rejects.toThrow(/linear-time engine/);
    // Case-insensitive as before.
    expect(await routeAlert(await parseRoutingRules([{ name: 'ci', when: { text: 'EXFIL' }, then: 'open' }]), alert({ title: 'exfiltration' }))).toMatchObject({ action: 'open' });
  });
});
