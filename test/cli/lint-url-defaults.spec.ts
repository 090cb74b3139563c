import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * A URL default the run would refuse (`localhost:4410` parses as a URL of scheme "localhost:") is
 * refused by lint, where it is written: before, lint said "catalogue ok" and every gate and
 * `env check` of the environment stopped at it. The redirect URI and the stack's probe are URLs too.
 */
test('a URL default without its scheme, or of another scheme, fails lint where it is written, exit 2', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('environments/demo.yaml', text =>
    text
      .replace('default: "https://aicloud-demo-app.core42.dev"', 'default: "aicloud-demo-app.core42.dev:443"')
      .replace('  redirect_path: /auth/callback', '  redirect_uri: "ftp://aicloud-demo-app.core42.dev/auth/callback"'),
  );
  project.edit('environments/parity.yaml', text =>
    text.replace('default: "http://127.0.0.1:4429"', 'default: "localhost:4429"'),
  );
  const result = await project.packgate(['lint']);
  expect(result.stdout).toBe(
    [
      'environments/demo.yaml:10:47 urls.app.default: "aicloud-demo-app.core42.dev:443" is not an http(s) URL',
      '  hint: write it with its scheme: https://aicloud-demo-app.core42.dev:443',
      'environments/demo.yaml:16:17 oidc.redirect_uri: "ftp://aicloud-demo-app.core42.dev/auth/callback" is not an http(s) URL',
      '  hint: write it with https:// (or http://)',
      'environments/parity.yaml:37:57 stack.ready_url.default: "localhost:4429" is not an http(s) URL',
      '  hint: write it with its scheme: http://localhost:4429',
      '',
      '3 errors in 2 files',
      '',
    ].join('\n'),
  );
  expect(result.exitCode).toBe(2);
});

test('a plain-HTTP redirect URI on a release stage fails lint as a plain-HTTP URL does', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('environments/demo.yaml', text =>
    text.replace(
      '  redirect_path: /auth/callback',
      '  redirect_uri: "http://aicloud-demo-app.core42.dev/auth/callback"',
    ),
  );
  const result = await project.packgate(['lint']);
  expect(result.stdout).toBe(
    [
      'environments/demo.yaml:16:17 oidc.redirect_uri: must be an https URL for stage demo',
      '  hint: use the deployed https URL',
      '',
      '1 error in 1 file',
      '',
    ].join('\n'),
  );
  expect(result.exitCode).toBe(2);
});
