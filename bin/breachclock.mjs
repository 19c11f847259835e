#!/usr/bin/env node
// `npx breachclock …`: the command line (local/cli.ts), run through tsx so no build step is needed.
import { register } from 'tsx/esm/api';

register();
await import('../local/cli.ts');
