#!/usr/bin/env node
// The packgate CLI is TypeScript, run through tsx so no build step stands between a checkout and a run.
import { register } from 'tsx/esm/api';

register();
await import('../scripts/cli.ts');
