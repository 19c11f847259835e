// Checks what `npm start` / `npm test` need beyond npm: Node 24 (pinned as a devDependency), a Java 17+
// runtime for DynamoDB Local, and (tests) Debian's Chromium for the dashboard's browser tests and Debian's
// prometheus-alertmanager for the real-sender end-to-end test, and (tests) cfn-lint, which checks the
// synthesized CloudFormation templates (test/cdk/cfn-lint.test.ts). A missing
// Debian package is installed when this user can (root, or passwordless sudo): `apt-get update` once, then
// `apt-get install -y --no-install-recommends …`. Otherwise it stops with the exact command to run.
// cfn-lint is no Debian package (bookworm has none) but a Python one, from PyPI: it is never installed from
// here; when it is missing, preflight stops and says how to install it.
// Nothing is ever skipped silently.
//
//   node scripts/preflight.mjs            # start: Node, Java
//   node scripts/preflight.mjs --tests    # test: Node, Java, Chromium, Alertmanager, cfn-lint
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const forTests = process.argv.includes('--tests');

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `breachclock needs Node.js 24 (found ${process.version}). Run it through npm scripts: the repo pins ` +
      `Node 24 as a devDependency ("node"), so \`npm start\` / \`npm test\` use it after \`npm ci\`.`,
  );
  process.exit(1);
}

function javaMajor() {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr ?? ''}${result.stdout ?? ''}`);
  if (result.error || !match) return undefined;
  return match[1] === '1' ? Number(match[2]) : Number(match[1]);
}

export const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const chromium = () => process.env.CHROMIUM_PATH ?? CHROMIUM_PATHS.find((path) => existsSync(path));

const missing = [];
const java = javaMajor();
if (java === undefined || java < 17) missing.push({ pkg: 'openjdk-17-jre-headless', why: `DynamoDB Local needs a Java 17+ runtime (${java === undefined ? 'java not found' : `found Java ${java}`})` });
if (forTests && !chromium()) missing.push({ pkg: 'chromium', why: "the dashboard's browser tests drive Debian's Chromium (playwright-core)" });
const alertmanager = () => process.env.ALERTMANAGER_PATH ?? ['/usr/bin/prometheus-alertmanager'].find((path) => existsSync(path));
if (forTests && !alertmanager()) missing.push({ pkg: 'prometheus-alertmanager', why: "an end-to-end test drives a real Alertmanager (Debian's prometheus-alertmanager) against the local stack" });

if (missing.length) {
  const packages = missing.map((m) => m.pkg);
  const command = `apt-get update && apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  for (const m of missing) console.error(`preflight: ${m.why}.`);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = !isRoot && spawnSync('sudo', ['-n', 'true']).status === 0;
  const hasApt = spawnSync('apt-get', ['--version']).status === 0;
  if (!hasApt || (!isRoot && !sudo)) {
    console.error(`preflight: install ${packages.join(' and ')} and run again:\n  sudo ${command}`);
    process.exit(1);
  }
  console.error(`preflight: installing ${packages.join(', ')} …`);
  const run = (args) => {
    const [cmd, ...rest] = isRoot ? args : ['sudo', '-n', ...args];
    const result = spawnSync(cmd, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.status !== 0) {
      console.error(`preflight: "${args.join(' ')}" failed; run it by hand:\n  sudo ${command}`);
      process.exit(1);
    }
  };
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...packages]);
  const after = javaMajor();
  if (after === undefined || after < 17) {
    console.error('preflight: Java 17+ is still not available after the install.');
    process.exit(1);
  }
  if (forTests && !chromium()) {
    console.error('preflight: Chromium is still not available after the install (set CHROMIUM_PATH to its binary).');
    process.exit(1);
  }
}

// cfn-lint (AWS's CloudFormation linter) is on PyPI only: checked, never installed, and never skipped.
const CFN_LINT = process.env.CFN_LINT ?? 'cfn-lint';
if (forTests && spawnSync(CFN_LINT, ['--version'], { stdio: 'ignore' }).status !== 0) {
  console.error(
    `preflight: the CloudFormation template test (test/cdk/cfn-lint.test.ts) runs cfn-lint, and \`${CFN_LINT} --version\` ` +
      'did not run. cfn-lint is a Python package on PyPI, not a Debian package (Debian has none; the npm package named cfn-lint is another, older tool), so ' +
      'preflight cannot install it; a machine that reaches only npm and Debian cannot install it at all. Where PyPI ' +
      'is reachable, install it and run again:\n  pip install --user cfn-lint   (or: pipx install cfn-lint)\n' +
      'or set CFN_LINT to its path.',
  );
  process.exit(1);
}
