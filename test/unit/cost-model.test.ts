import { readFileSync } from 'node:fs';
import { COST_BEGIN, COST_END, PRICES, renderCostSection, scenarios, type CostMeasurements } from '../../bench/cost-model.js';

const measured = JSON.parse(readFileSync('bench/results/cost.json', 'utf8')) as CostMeasurements;

describe('what an operator pays (issue 27.4)', () => {
  it("docs/deploy.md's cost section is the one rendered from the last measurement and today's prices", () => {
    const doc = readFileSync('docs/deploy.md', 'utf8');
    const section = doc.slice(doc.indexOf(COST_BEGIN), doc.indexOf(COST_END) + COST_END.length);
    expect(section).toBe(renderCostSection(measured));
  });

  it('every price says where it comes from and how sure it is', () => {
    for (const price of Object.values(PRICES)) {
      expect(price.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
      expect(['primary', 'secondary', 'conflicting']).toContain(price.confidence);
      // Not read on AWS's own page: it says through what, or why not.
      if (price.confidence !== 'primary') expect(/\(via |\(the /.test(price.source) || 'note' in price).toBe(true);
    }
  });

  it('adds up: a million emails are $100 at SES list price; Lambda time is at least the time SES pacing takes', () => {
    const unit = { dynamoCalls: 1, writeUnits: 2, readUnits: 0, lambdaInvocations: 0.01, lambdaMs: 1, memoryMb: 512, httpRequests: 0 };
    const m: CostMeasurements = { ...measured, alertStorm: unit, alertMixed: unit, idleSweep: unit, noticeRecipient: unit, chunkSize: 100, sesRatePerSecond: 14 };
    const notice = scenarios(m).find((s) => s.name.startsWith('One notice'))!;
    expect(notice.lines.find((l) => l.item.startsWith('SES'))!.usd).toBeCloseTo(100, 6);
    // 1,000,000 / 14 per second = 71,429 s at 0.5 GB = 35,714 GB-s.
    expect(notice.lines.find((l) => l.item.startsWith('Lambda'))!.usd).toBeCloseTo(10_000 * 0.2e-6 + 35_714.3 * 0.0000133334, 3);
    expect(notice.lines.find((l) => l.item.startsWith('DynamoDB'))!.usd).toBeCloseTo(2_000_000 * 0.625e-6, 6);
    expect(notice.total).toBeCloseTo(notice.lines.reduce((sum, l) => sum + l.usd, 0), 9);
  });
});
