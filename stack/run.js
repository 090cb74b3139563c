// The reference stack's command (environments/*.yaml): `node stack/run.js --env <environment>` runs
// stack/main.ts from its bundle, which starts about 0.4 s sooner than through tsx (bin/run-bundled.js).
import { runBundled } from '../bin/run-bundled.js';

await runBundled('stack/main.ts');
