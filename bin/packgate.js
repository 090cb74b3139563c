#!/usr/bin/env node
// The packgate CLI is TypeScript, run from a bundle of it that is rebuilt when a source changes
// (bin/run-bundled.js), so no build step stands between a checkout and a run.
import { runBundled } from './run-bundled.js';

await runBundled('scripts/cli.ts');
