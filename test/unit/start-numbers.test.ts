import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { START_NUMBERS, startNumber, StartConfigurationError } from '../../local/start-numbers.js';

/** `npm start`'s numbers from the environment: whole numbers within bounds, or one line naming what is wrong. */
describe("npm start's numbers", () => {
  it('takes the fallback when unset or empty, and a whole number within bounds as given', () => {
    expect(startNumber({}, 'PORT')).toBe(3_000);
    expect(startNumber({ PORT: '' }, 'PORT')).toBe(3_000);
    expect(startNumber({ PORT: '0' }, 'PORT')).toBe(0);
    expect(startNumber({}, 'OUTBOX_LEASE_MS')).toBeUndefined();
    expect(startNumber({ OUTBOX_LEASE_MS: ' 4000 ' }, 'OUTBOX_LEASE_MS')).toBe(4_000);
    expect(startNumber({ SEND_VISIBILITY_TIMEOUT_MS: '180000' }, 'SEND_VISIBILITY_TIMEOUT_MS')).toBe(180_000);
  });

  it.each([
    ['OUTBOX_LEASE_MS', '60s'],
    ['OUTBOX_LEASE_MS', '999'],
    ['CLOCK_INTERVAL_MS', '1.5'],
    ['CLOCK_INTERVAL_MS', '-500'],
    ['CLOCK_INTERVAL_MS', '1e3'],
    ['PORT', '65536'],
    ['SEND_CHUNK_SIZE', '0'],
    ['SEND_CHUNK_SIZE', '101'],
    ['SEND_VISIBILITY_TIMEOUT_MS', '120000'],
    ['DYNAMODB_PORT', '99999999999999999999'],
  ] as const)('refuses %s=%s, naming the variable, its bounds and the value', (name, value) => {
    const read = () => startNumber({ [name]: value }, name);
    expect(read).toThrow(StartConfigurationError);
    expect(read).toThrow(`${name} must be a whole number from ${START_NUMBERS[name].min} to ${START_NUMBERS[name].max}`);
    expect(read).toThrow(`got ${JSON.stringify(value.slice(0, 40))}`);
  });

  it('npm start stops with exit code 2 and that one line, before it starts anything', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'breachclock-start-'));
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
        env: { ...process.env, BREACHCLOCK_DATA_DIR: dataDir, OUTBOX_LEASE_MS: '60s' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status).toBe(2);
      expect(run.stderr.trim()).toBe('[breachclock] OUTBOX_LEASE_MS must be a whole number from 1000 to 3600000 (milliseconds an outbox claim holds); got "60s"');
      expect(run.stdout).not.toContain('DynamoDB Local');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
