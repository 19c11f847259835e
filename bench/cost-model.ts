/**
 * What an operator pays (issue 27.4): AWS list prices as dated data with their sources, the figures
 * `npm run bench:cost` measures, and the arithmetic from the one to the other. Pure: the benchmark writes its
 * measurements to bench/results/cost.json; docs/deploy.md's cost section is rendered from that file and these
 * prices (`npm run bench:cost -- --render`), and a test keeps the two equal.
 */

export interface Price {
  readonly usd: number;
  readonly per: string;
  readonly source: string;
  /** How sure: the provider's own page, or only secondary sources (and how they differ). */
  readonly confidence: 'primary' | 'secondary' | 'conflicting';
  readonly note?: string;
}

/** us-east-1 list prices, checked 2026-12-05; no free tier counted. */
export const PRICES_CHECKED_ON = '2026-12-05';
export const PRICES = {
  dynamoWrite: { usd: 0.625 / 1e6, per: 'write request unit (on demand)', source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/ (via airbyte.com/data-engineering-resources/dynamodb-pricing, after the November 2024 cut)', confidence: 'secondary' },
  dynamoRead: { usd: 0.125 / 1e6, per: 'read request unit (on demand)', source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/ (via airbyte.com/data-engineering-resources/dynamodb-pricing)', confidence: 'secondary' },
  lambdaRequest: { usd: 0.2 / 1e6, per: 'invocation', source: 'https://aws.amazon.com/lambda/pricing/ (via cloudchipr.com/blog/aws-lambda-pricing)', confidence: 'secondary' },
  lambdaArmGbSecond: { usd: 0.0000133334, per: 'GB-second, Arm, first 7.5 billion a month', source: 'https://aws.amazon.com/lambda/pricing/ (via cloudchipr.com/blog/aws-lambda-pricing)', confidence: 'secondary' },
  httpApiRequest: { usd: 1.0 / 1e6, per: 'HTTP API request (first 300 million a month)', source: 'https://aws.amazon.com/api-gateway/pricing/', confidence: 'secondary', note: 'the figure breachclock used since issue 9; not re-read this session' },
  sesEmail: { usd: 0.1 / 1000, per: 'email sent', source: 'https://aws.amazon.com/ses/pricing/', confidence: 'secondary', note: 'the figure breachclock used since issue 9; not re-read this session' },
  sqsRequest: { usd: 0.4 / 1e6, per: 'standard queue request (64 KB chunk)', source: 'https://aws.amazon.com/sqs/pricing/', confidence: 'secondary', note: 'the figure breachclock used since issue 9; not re-read this session' },
  cloudTrailDataEvent: { usd: 0.1 / 100_000, per: 'data event recorded', source: 'https://aws.amazon.com/cloudtrail/pricing/', confidence: 'primary' },
  kmsKeyMonth: { usd: 1.0, per: 'customer managed key a month (symmetric or asymmetric)', source: 'https://aws.amazon.com/kms/pricing/', confidence: 'primary' },
  kmsAsymmetricRequest: {
    usd: 0.15 / 10_000,
    per: 'Sign request with an ECC key',
    source: 'https://aws.amazon.com/kms/pricing/ (the request table was not in the stored page); factualminds.com ("asymmetric operations at 5× the symmetric rate"), wring.co ($0.03 per 10,000)',
    confidence: 'conflicting',
    note: 'secondary sources give $0.03 or $0.15 per 10,000; the higher is used',
  },
  s3Put: { usd: 0.005 / 1000, per: 'PUT/LIST request', source: 'https://aws.amazon.com/s3/pricing/', confidence: 'secondary', note: 'not re-read this session' },
  secretMonth: { usd: 0.4, per: 'secret a month', source: 'https://aws.amazon.com/secrets-manager/pricing/', confidence: 'secondary', note: 'not re-read this session' },
} as const satisfies Record<string, Price>;

/** What one unit of work cost in the benchmark: DynamoDB calls and capacity, Lambda invocations and time. */
export interface UnitCost {
  readonly dynamoCalls: number;
  readonly writeUnits: number;
  readonly readUnits: number;
  readonly lambdaInvocations: number;
  /** Billed duration, milliseconds (warm, in-process on this machine: an upper bound for Lambda's CPU). */
  readonly lambdaMs: number;
  /** The configured memory of the functions involved, MB (billing is by configured memory). */
  readonly memoryMb: number;
  readonly httpRequests: number;
}

export interface CostMeasurements {
  readonly measuredAt: string;
  readonly command: string;
  readonly machine: string;
  /** Per alert, ingest and the stream consumers that fold it (counts, outbox) included. */
  readonly alertStorm: UnitCost;
  readonly alertMixed: UnitCost;
  /** One clock tick with nothing due (the every-minute floor). */
  readonly idleSweep: UnitCost;
  /** Per recipient of a notice: planning and sending (DynamoDB, Lambda); SES and SQS are counted from the design. */
  readonly noticeRecipient: UnitCost;
  readonly chunkSize: number;
  readonly sesRatePerSecond: number;
  readonly peakRssMb: number;
}

const usd = (n: number) => (n >= 100 ? `$${Math.round(n).toLocaleString('en-US')}` : n >= 1 ? `$${n.toFixed(2)}` : n >= 0.01 ? `$${n.toFixed(3)}` : `$${n.toFixed(4)}`);

export interface Line {
  readonly item: string;
  readonly usd: number;
}

/** Lambda, DynamoDB, API Gateway and CloudTrail data events of `n` units. */
function unitLines(n: number, u: UnitCost): Line[] {
  return [
    { item: `DynamoDB: ${fmt(n * u.writeUnits)} write and ${fmt(n * u.readUnits)} read units`, usd: n * (u.writeUnits * PRICES.dynamoWrite.usd + u.readUnits * PRICES.dynamoRead.usd) },
    { item: `Lambda: ${fmt(n * u.lambdaInvocations)} invocations, ${fmt((n * u.lambdaMs * u.memoryMb) / 1024 / 1000)} GB-s`, usd: n * (u.lambdaInvocations * PRICES.lambdaRequest.usd + ((u.lambdaMs / 1000) * (u.memoryMb / 1024)) * PRICES.lambdaArmGbSecond.usd) },
    ...(u.httpRequests ? [{ item: `API Gateway: ${fmt(n * u.httpRequests)} requests`, usd: n * u.httpRequests * PRICES.httpApiRequest.usd }] : []),
    { item: `CloudTrail data events (every table call, issue 24.4): ${fmt(n * u.dynamoCalls)}`, usd: n * u.dynamoCalls * PRICES.cloudTrailDataEvent.usd },
  ];
}

function fmt(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(n >= 1e4 ? 0 : 1)} k`;
  return n.toFixed(n >= 10 ? 0 : 1);
}

export interface Scenario {
  readonly name: string;
  readonly lines: readonly Line[];
  readonly total: number;
}

function scenario(name: string, lines: Line[]): Scenario {
  return { name, lines, total: lines.reduce((sum, l) => sum + l.usd, 0) };
}

export function scenarios(m: CostMeasurements): Scenario[] {
  const million = 1_000_000;
  const month = 300_000; // 10,000 alerts a day, 30 days
  const ticks = 30 * 24 * 60;
  const recipients = 1_000_000;
  const chunks = Math.ceil(recipients / m.chunkSize);
  // The sender waits on the account's SES rate: its billed time is at least the paced time.
  const pacedMs = (recipients / m.sesRatePerSecond) * 1000;
  const noticeUnit: UnitCost = { ...m.noticeRecipient, lambdaMs: Math.max(m.noticeRecipient.lambdaMs, pacedMs / recipients) };
  return [
    scenario('1 million alerts, one attack (one fingerprint)', unitLines(million, m.alertStorm)),
    scenario('1 million alerts, mixed (24 fingerprints)', unitLines(million, m.alertMixed)),
    scenario('One month at 10,000 alerts a day (mixed), the clock ticking every minute', [
      ...unitLines(month, m.alertMixed),
      ...unitLines(ticks, m.idleSweep).map((l) => ({ ...l, item: `clock: ${l.item}` })),
      // Assumed, not measured: 50 incidents open all month, each trail moving every hour (the worst case).
      { item: 'Trail anchors, at most hourly for 50 open incidents: 36 k KMS Sign and S3 PUT requests', usd: 50 * 720 * (PRICES.kmsAsymmetricRequest.usd + PRICES.s3Put.usd) },
      { item: 'KMS: the data key and the trail signing key', usd: 2 * PRICES.kmsKeyMonth.usd },
      { item: 'Secrets Manager: two secrets', usd: 2 * PRICES.secretMonth.usd },
    ]),
    scenario('One notice to 1,000,000 people by email', [
      { item: `SES: ${fmt(recipients)} emails`, usd: recipients * PRICES.sesEmail.usd },
      { item: `SQS: ${fmt(chunks)} chunks of ${m.chunkSize}, each sent, received and deleted`, usd: chunks * 3 * PRICES.sqsRequest.usd },
      ...unitLines(recipients, noticeUnit).map((l) => (l.item.startsWith('Lambda') ? { ...l, item: `${l.item} (paced by SES at ${m.sesRatePerSecond}/s)` } : l)),
    ]),
  ];
}

export const COST_BEGIN = '<!-- cost: generated by `npm run bench:cost -- --render` from bench/results/cost.json; edit bench/cost-model.ts -->';
export const COST_END = '<!-- /cost -->';

/** docs/deploy.md's cost section, from the measurements and the dated prices. */
export function renderCostSection(m: CostMeasurements): string {
  const out: string[] = [COST_BEGIN, ''];
  out.push(
    `What breachclock's own work costs at AWS list prices (us-east-1, checked ${PRICES_CHECKED_ON}, no free tier), from what \`${m.command}\` measured on ${m.measuredAt.slice(0, 10)} (${m.machine}): DynamoDB calls and capacity units per unit of work, and Lambda time of the real handlers run warm in one process (an upper bound for Lambda's CPU time: this machine is shared with DynamoDB Local). CloudWatch logs and alarms, X-Ray and S3 storage are not modelled. An estimate, not a quote.`,
    '',
  );
  out.push('| per unit | DynamoDB calls | write units | read units | Lambda invocations | Lambda ms | memory |', '|---|---|---|---|---|---|---|');
  const row = (name: string, u: UnitCost) => `| ${name} | ${u.dynamoCalls.toFixed(2)} | ${u.writeUnits.toFixed(2)} | ${u.readUnits.toFixed(2)} | ${u.lambdaInvocations.toFixed(3)} | ${u.lambdaMs.toFixed(2)} | ${u.memoryMb} MB |`;
  out.push(row('alert, one attack', m.alertStorm), row('alert, mixed', m.alertMixed), row('clock tick, nothing due', m.idleSweep), row('notice recipient', m.noticeRecipient), '');
  for (const s of scenarios(m)) {
    out.push(`**${s.name}: about ${usd(s.total)}**`, '', '| item | cost |', '|---|---|');
    for (const line of s.lines) out.push(`| ${line.item} | ${usd(line.usd)} |`);
    out.push('');
  }
  out.push('Prices used (per unit; where only secondary sources were found, so marked):', '', '| price | per | source | confidence |', '|---|---|---|---|');
  for (const p of Object.values(PRICES) as Price[]) out.push(`| $${p.usd < 0.001 ? p.usd.toExponential(3) : p.usd} | ${p.per} | ${p.source} | ${p.confidence}${p.note ? `: ${p.note}` : ''} |`);
  out.push('', 'SMS notices cost per message and country through SNS (about $0.04–0.10 in the EU; not modelled).', '', COST_END);
  return out.join('\n');
}

/** Replaces the generated section of a document (between the markers) with `section`. */
export function withCostSection(doc: string, section: string): string {
  const begin = doc.indexOf(COST_BEGIN);
  const end = doc.indexOf(COST_END);
  if (begin < 0 || end < begin) throw new Error('docs/deploy.md has no generated cost section (its markers are missing)');
  return doc.slice(0, begin) + section + doc.slice(end + COST_END.length);
}
