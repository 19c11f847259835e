import type { ChildProcess } from 'node:child_process';

export declare const DYNAMO_LOCAL_HOST: '127.0.0.1';
export declare function dynamoLocalJar(): { jar: string; libraryPath: string };
export declare function spawnDynamoLocal(options: { port: number; dbPath?: string; stdio?: 'pipe' | 'inherit' | 'ignore' }): ChildProcess;
export declare function dynamoLocalStartHint(output: string): string;
