import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { CliError, incidentPath, safe, type Client } from './client.js';
import { act } from './incidents.js';

/**
 * The compliance officer's own steps (issue 25.3): facts, the risk assessment, decisions per regime (proposed
 * and confirmed by two people), a regime set aside, and a report's submission. Each is one action of the API
 * (POST …/actions), which validates it and answers 400 with what was wrong and where.
 */

const list = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
const yesNo = (name: string) => (value: string): boolean => {
  if (/^(yes|true|y|1)$/i.test(value)) return true;
  if (/^(no|false|n|0)$/i.test(value)) return false;
  throw new CliError(`${name}: say yes or no (got "${safe(value)}")`, 2);
};

/** A facts file: JSON, or YAML (by its extension, else tried as JSON first). */
function readFactsFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${safe(file)}: ${safe((error as Error).message)}`, 2);
  }
  try {
    const value: unknown = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('it must hold one object of facts');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new CliError(`${safe(file)} is not a facts ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'} file: ${safe((error as Error).message)}`, 2);
  }
}

interface FactOptions {
  file?: string;
  affected?: string[];
  data?: string[];
  people?: string[];
  role?: string;
  controller?: string[];
  encrypted?: boolean;
  keyCompromised?: boolean;
  source?: boolean;
  lawEnforcementDelay?: boolean;
  occurredAt?: string;
  timeZone?: string;
  remove?: string[];
}

/** The facts the flags say, over those of the file (flags win). */
export function factsFrom(options: FactOptions): { facts: Record<string, unknown>; remove?: string[] } {
  const facts: Record<string, unknown> = options.file ? readFactsFile(options.file) : {};
  if (options.affected?.length) {
    facts.jurisdictions = options.affected.map((pair) => {
      const match = /^([A-Z]{2}(?:-[A-Z0-9]{1,3})?|EU|OTHER)=(\d+)$/.exec(pair.trim());
      if (!match) throw new CliError(`--affected ${safe(pair)}: write CODE=people, e.g. EU=3000 or US-CA=120`, 2);
      return { code: match[1], affected: Number(match[2]) };
    });
  }
  if (options.data?.length) facts.dataCategories = options.data;
  if (options.people?.length) facts.peopleCategories = options.people;
  if (options.role) facts.role = options.role;
  if (options.controller?.length) {
    facts.controllers = options.controller.map((value) => {
      const [name, hours] = value.split(':');
      if (!name?.trim()) throw new CliError(`--controller ${safe(value)}: write "Name" or "Name:hours"`, 2);
      return { name: name.trim(), ...(hours ? { contractualHours: Number(hours) } : {}) };
    });
  }
  if (options.encrypted !== undefined) facts.encryption = { encrypted: options.encrypted, keyCompromised: options.keyCompromised ?? false };
  if (options.source !== undefined) facts.weWereTheSource = options.source;
  if (options.lawEnforcementDelay !== undefined) facts.lawEnforcementDelay = options.lawEnforcementDelay;
  if (options.occurredAt) facts.occurredAt = options.occurredAt;
  if (options.timeZone) facts.entityTimeZone = options.timeZone;
  if (!Object.keys(facts).length && !options.remove?.length) throw new CliError('no facts given: use --file or the flags (breachclock facts --help)', 2);
  return { facts, ...(options.remove?.length ? { remove: options.remove } : {}) };
}

export function registerOfficerCommands(program: Command, client: Client): void {
  program
    .command('facts <id>')
    .description('record facts: where affected people live, data and people categories, role, controllers, encryption (merged into what is recorded)')
    .option('--file <file>', 'facts as JSON or YAML (the API\'s record-facts "facts" object); flags override it')
    .option('--affected <CODE=n>', 'people affected per jurisdiction, e.g. EU=3000,US-CA=120 (repeatable)', list)
    .option('--data <categories>', 'data categories, e.g. contact,credentials,health', list)
    .option('--people <categories>', 'people categories, e.g. customers,staff', list)
    .addOption(new Option('--role <role>', 'our role').choices(['controller', 'processor', 'joint-controller']))
    .option('--controller <name[:hours]>', 'as processor: a controller and its contractual hours (repeatable)', (v: string, p: string[] = []) => [...p, v])
    .option('--encrypted <yes|no>', 'the data was encrypted', yesNo('--encrypted'))
    .option('--key-compromised <yes|no>', 'the key was lost too', yesNo('--key-compromised'))
    .option('--source <yes|no>', 'we (not a vendor) were the source of the breach', yesNo('--source'))
    .option('--law-enforcement-delay <yes|no>', 'notice was delayed by a law-enforcement investigation', yesNo('--law-enforcement-delay'))
    .option('--occurred-at <time>', 'when it happened (ISO time with zone)')
    .option('--time-zone <zone>', "the organisation's IANA zone (for laws counting days in it)")
    .option('--remove <paths>', 'facts to delete, e.g. sectors.nis2,classifiedAt', list)
    .action((id: string, options: FactOptions) => act(client, id, { action: 'record-facts', ...factsFrom(options) }));

  program
    .command('risk <id> <rationale...>')
    .description('assess the risk to people (EDPB factors); the answer explains the score and any Art. 34(3) exemption')
    .requiredOption('--lost <types>', 'what was lost: confidentiality,integrity,availability', list)
    .addOption(new Option('--identification <ease>', 'how easily people are identified').choices(['negligible', 'limited', 'significant', 'maximum']).makeOptionMandatory())
    .requiredOption('--malicious <yes|no>', 'deliberate (theft, hacking) rather than an accident', yesNo('--malicious'))
    .option('--unknown-recipients <yes|no>', 'the data is with an unknown or untrusted party (default yes)', yesNo('--unknown-recipients'))
    .option('--later-measures <yes|no>', 'Art. 34(3)(b): measures since make the high risk no longer likely', yesNo('--later-measures'))
    .option('--disproportionate-effort <yes|no>', 'Art. 34(3)(c): telling each person would take disproportionate effort', yesNo('--disproportionate-effort'))
    .action((id: string, rationale: string[], o: { lost: string[]; identification: string; malicious: boolean; unknownRecipients?: boolean; laterMeasures?: boolean; disproportionateEffort?: boolean }) =>
      act(client, id, {
        action: 'assess-risk',
        rationale: rationale.join(' '),
        input: {
          breachTypes: o.lost,
          easeOfIdentification: o.identification,
          malicious: o.malicious,
          ...(o.unknownRecipients !== undefined ? { unknownRecipients: o.unknownRecipients } : {}),
          ...(o.laterMeasures !== undefined ? { laterMeasuresRemoveHighRisk: o.laterMeasures } : {}),
          ...(o.disproportionateEffort !== undefined ? { disproportionateEffort: o.disproportionateEffort } : {}),
        },
      }),
    );

  program
    .command('decide <id> <regime> <choice> <rationale...>')
    .description('propose the decision for a regime: notify or no-notify (a second person confirms it)')
    .option('--reasons-for-delay <text>', 'required once the deadline has passed')
    .option('--override <reason>', 'not notifying although the assessment says the authority must be told: the reason')
    .action((id: string, regime: string, choice: string, rationale: string[], o: { reasonsForDelay?: string; override?: string }) => {
      if (choice !== 'notify' && choice !== 'no-notify') throw new CliError(`decide: the choice is "notify" or "no-notify" (got "${safe(choice)}")`, 2);
      return act(client, id, { action: 'propose-decision', regime, notify: choice === 'notify', rationale: rationale.join(' '), ...(o.reasonsForDelay ? { reasonsForDelay: o.reasonsForDelay } : {}), ...(o.override ? { overrideReason: o.override } : {}) });
    });

  program
    .command('confirm-decision <id> <regime>')
    .description("confirm another person's proposed decision (four eyes)")
    .action((id: string, regime: string) => act(client, id, { action: 'confirm-decision', regime }));

  program
    .command('confirm-regime <id> <regime> <awareAt> <justification...>')
    .description('awareness under a regime that counts from its own (NIS2 significant incident, DORA major incident, NYDFS), with a justification')
    .action((id: string, regime: string, awareAt: string, justification: string[]) => act(client, id, { action: 'confirm-regime', regime, awareAt, justification: justification.join(' ') }));

  program
    .command('dismiss-regime <id> <regime> <reason...>')
    .description('this regime does not apply to the incident, with the reason (its clock stops)')
    .action((id: string, regime: string, reason: string[]) => act(client, id, { action: 'dismiss-regime', regime, reason: reason.join(' ') }));

  program
    .command('adopt-rule-version <id> <regime>')
    .description("take the current version of a regime's pack whose version changed since the incident recorded its clocks (`clocks` shows both deadlines)")
    .action((id: string, regime: string) => act(client, id, { action: 'adopt-rule-version', regime }));

  program
    .command('record-submission <id> <regime> <obligation> <reference>')
    .description("record that a report was submitted (by its regime and obligation, as `show` lists the clocks), with the authority's reference")
    .option('--at <time>', "when it was submitted (ISO time; default: the API's now)")
    .option('--reasons-for-delay <text>', 'the reasons for the delay sent with a late report (GDPR / UK GDPR authority notification after 72 h)')
    .action(async (id: string, regime: string, obligation: string, reference: string, o: { at?: string; reasonsForDelay?: string }) => {
      // The API's clock (on the local stack, its virtual time): the incident's answer says when it was read.
      const submittedAt = o.at ?? ((await client.call('GET', incidentPath(id))) as { checkedAt?: string; now?: string }).now ?? new Date().toISOString();
      return act(client, id, { action: 'record-submission', regime, obligation, submittedAt, reference, ...(o.reasonsForDelay ? { reasonsForDelay: o.reasonsForDelay } : {}) });
    });
}
