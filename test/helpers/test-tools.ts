/**
 * Before `npm test` (its `pretest`): the Debian packages packgate's own tests need besides the
 * browser `npm ci` already found, installed when missing, as the browser is (as root or with
 * password-less sudo), so a fresh machine needs only the README's two commands. `.ci/run` installs
 * the same list itself; here nothing fails: a package that cannot be installed is named, and the
 * tests that need it say so again when they run.
 */
import path from 'node:path';
import { installSystemPackages, isExecutable } from '../../src/browser/chromium.ts';
import { findServerBin } from './postgres.ts';

type Tool = { package: string; present: () => boolean; why: string };

const onPath = (command: string) =>
  (process.env.PATH ?? '').split(path.delimiter).some(dir => isExecutable(path.join(dir, command)));

const TOOLS: Tool[] = [
  {
    package: 'postgresql',
    present: () => findServerBin() !== undefined,
    why: "the queue store's PostgreSQL adapter is tested against a real server the tests start",
  },
  { package: 'make', present: () => onPath('make'), why: 'the packet helper' },
  {
    package: 'xvfb',
    present: () => onPath('xvfb-run'),
    why: "the manual layer's headed browser, under a virtual display",
  },
  {
    package: 'libnss3-tools',
    present: () => onPath('certutil'),
    why: "the parity stack's CA, trusted by the browser through an NSS database",
  },
];

const missing = TOOLS.filter(tool => !tool.present());
if (missing.length) {
  const log = (line: string) => process.stdout.write(`packgate tests: ${line}\n`);
  for (const tool of missing) log(`${tool.package} is missing: ${tool.why}`);
  const result = installSystemPackages(
    missing.map(tool => tool.package),
    log,
  );
  if (!result.ok)
    log(
      `not installed (${result.why}): install ${missing.map(t => t.package).join(' ')} ` +
        '(e.g. `sudo apt-get install -y ...`), or run .ci/run; the tests that need them will fail saying so',
    );
}
