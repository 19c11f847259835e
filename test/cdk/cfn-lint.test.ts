// Issue 24.7: the synthesized templates checked as CloudFormation checks them. cdk-nag (stacks.test.ts) checks
// practices; cfn-lint checks every resource, property and value against CloudFormation's own resource
// specification (types, allowed values, required properties, which properties exist), per region.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { StatefulStack } from '../../lib/stateful-stack.js';
import { StatelessStack } from '../../lib/stateless-stack.js';
import { describeMatch, runCfnLint } from '../support/cfn-lint.js';

const REGION = 'eu-west-1';
const outdir = mkdtempSync(join(tmpdir(), 'breachclock-cfn-lint-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** Both stacks as bin/breachclock.ts builds them, written out as `cdk synth` writes them. */
function synthesize(): string[] {
  const app = new App({ outdir, context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong' } });
  const env = { account: '111111111111', region: REGION };
  const stateful = new StatefulStack(app, 'LintStateful', { env });
  new StatelessStack(app, 'LintStateless', { env, stateful, snsAllowedTopicArns: [`arn:aws:sns:${REGION}:111111111111:alarms`] });
  const assembly = app.synth();
  return assembly.stacks.map((stack) => join(assembly.directory, stack.templateFile));
}

it('finds errors in a template CloudFormation would reject (the check can fail)', () => {
  const bad = join(outdir, 'known-bad.template.json');
  writeFileSync(
    bad,
    JSON.stringify({
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 'soon', MessageRetentionPeriod: 14, Colour: 'blue' } } },
    }),
  );
  const result = runCfnLint([bad], { regions: [REGION] });
  expect(result.status & 2).toBe(2);
  expect(result.errors.map((e) => e.Rule.Id).sort()).toEqual(['E3002', 'E3012', 'E3034']);
}, 60_000);

it('synthesizes templates that cfn-lint finds no errors in (warnings are reported, not failed on)', () => {
  const templates = synthesize();
  expect(templates.map((t) => t.split('/').pop()).sort()).toEqual(['LintStateful.template.json', 'LintStateless.template.json']);
  expect(readdirSync(outdir)).toEqual(expect.arrayContaining(['LintStateful.template.json', 'LintStateless.template.json']));
  const result = runCfnLint(templates, { regions: [REGION] });
  const byRule = new Map<string, number>();
  for (const w of result.warnings) byRule.set(w.Rule.Id, (byRule.get(w.Rule.Id) ?? 0) + 1);
  console.log(
    `cfn-lint: ${result.errors.length} errors, ${result.warnings.length} warnings` +
      (byRule.size ? ` (${[...byRule].map(([id, n]) => `${id}×${n}`).join(', ')})` : '') +
      (result.warnings.length ? `:\n  ${result.warnings.map(describeMatch).join('\n  ')}` : ''),
  );
  expect(result.errors.map(describeMatch)).toEqual([]);
  expect(result.status & 2).toBe(0);
}, 300_000); // synthesis bundles every function with esbuild, and the machine may be shared
