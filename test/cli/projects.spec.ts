import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

type ListedSpec = {
  file: string;
  title: string;
  tags: string[];
  tests: Array<{ projectId: string; projectName: string }>;
};
type ListedSuite = { specs?: ListedSpec[]; suites?: ListedSuite[] };

/**
 * A layer is two projects under one name: what needs no session (every test of a pack that signs in
 * as nobody, and the @signed-out tests of the others) waits for nothing; the rest depends on the
 * sign-in setup. Each project is a worker start of its own, so there are no more than two.
 */
test('a layer is a signed-out project and a signed-in one; every test is in exactly one, chosen by its pack and tag', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const list = async (...args: string[]) => {
    const listed = await project.playwright(['--list', '--project=local-api', '--reporter=json', ...args]);
    expect(listed.exitCode, listed.output).toBe(0);
    const found: Array<{ file: string; title: string; projectId: string }> = [];
    const walk = (suite: ListedSuite) => {
      for (const spec of suite.specs ?? [])
        for (const t of spec.tests)
          if (t.projectName === 'local-api') found.push({ file: spec.file, title: spec.title, projectId: t.projectId });
      for (const child of suite.suites ?? []) walk(child);
    };
    (JSON.parse(listed.stdout) as { suites: ListedSuite[] }).suites.forEach(walk);
    return found;
  };
  const tagged = new Set((await list('--grep=@signed-out')).map(t => `${t.file} › ${t.title}`));
  const tests = (await list()).map(t => ({ ...t, signedOut: tagged.has(`${t.file} › ${t.title}`) }));

  const projectIds = [...new Set(tests.map(t => t.projectId))].sort();
  expect(projectIds, 'local-api is two projects').toHaveLength(2);
  const keys = tests.map(t => `${t.file} › ${t.title}`);
  expect(new Set(keys).size, 'no test is in both projects').toBe(keys.length);

  // platform-proxy and demo-deploy sign in as nobody: all of their tests are in one project, with
  // auth-session's @signed-out tests; auth-session's other tests are in the other.
  const [independent] = projectIds.filter(id =>
    tests.some(t => t.projectId === id && t.file.startsWith('packs/platform-proxy/')),
  );
  const inIndependent = (file: string) =>
    tests.filter(t => t.file.startsWith(file)).map(t => t.projectId === independent);
  expect(inIndependent('packs/platform-proxy/')).not.toContain(false);
  expect(inIndependent('packs/demo-deploy/')).not.toContain(false);
  const auth = tests.filter(t => t.file.startsWith('packs/auth-session/'));
  expect(auth.filter(t => t.signedOut).length).toBeGreaterThan(0);
  expect(auth.filter(t => !t.signedOut).length).toBeGreaterThan(0);
  for (const t of auth)
    expect(t.projectId === independent, `${t.title} (signed-out: ${t.signedOut})`).toBe(t.signedOut);
});
