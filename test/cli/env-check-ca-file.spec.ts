import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * An environment's tls.ca_file that cannot be read stops `env check` (exit 2) with the file and the
 * field named and why in words, not Node's "ENOENT: no such file or directory, open '/abs/path'".
 * The parity stack is not started: the CA file is refused before any browser would launch.
 */
test('env check: a tls.ca_file that is missing or a folder is named with the field, in words, exit 2', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  await project.useParityPorts();
  const point =
    "point the environment's tls.ca_file (or the env var it reads) at the PEM of the CA that issued its certificates";

  // Before: "cannot read the CA file /.../missing/ca.pem: ENOENT: no such file or directory, open '/.../missing/ca.pem'".
  const missing = await project.packgate(['env', 'check', 'parity'], { PACKGATE_PARITY_CA_FILE: 'missing/ca.pem' });
  expect(missing.exitCode, missing.output).toBe(2);
  expect(missing.stderr).toBe(
    "packgate: the CA file missing/ca.pem (the environment's tls.ca_file): no such file\n" +
      '  hint: a stack in deployment shape writes it when it starts: start its stack first ' +
      `(npx packgate stack start --env <name>), or ${point}\n`,
  );

  // Before: "cannot read the CA file /.../ca-folder: EISDIR: illegal operation on a directory, read".
  fs.mkdirSync(path.join(project.dir, 'ca-folder'));
  const folder = await project.packgate(['env', 'check', 'parity'], { PACKGATE_PARITY_CA_FILE: 'ca-folder' });
  expect(folder.exitCode, folder.output).toBe(2);
  expect(folder.stderr).toBe(
    "packgate: the CA file ca-folder (the environment's tls.ca_file): a folder, not a file\n" +
      `  hint: remove the folder ca-folder, or ${point}\n`,
  );
});
