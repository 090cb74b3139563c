import { expect, test } from '@playwright/test';
import { compileGlob } from '../../../src/packet/glob.ts';

const cases: Array<[string, string, boolean]> = [
  ['src/**', 'src/a.ts', true],
  ['src/**', 'src/store/deep/a.ts', true],
  ['src/**', 'srcx/a.ts', false],
  ['src/**', 'test/src/a.ts', false],
  ['docs/', 'docs/x/y.md', true],
  ['*.md', 'README.md', true],
  ['*.md', 'docs/README.md', false],
  ['**/*.md', 'docs/README.md', true],
  ['**/*.md', 'README.md', true],
  ['packs/*/pack.yaml', 'packs/auth-session/pack.yaml', true],
  ['packs/*/pack.yaml', 'packs/a/b/pack.yaml', false],
  ['environments/{demo,prod}.yaml', 'environments/prod.yaml', true],
  ['environments/{demo,prod}.yaml', 'environments/local.yaml', false],
  ['file?.ts', 'file1.ts', true],
  ['file?.ts', 'file10.ts', false],
  ['a.b', 'aXb', false],
  ['.ci/**', '.ci/run', true],
];

for (const [glob, file, matches] of cases)
  test(`${glob} ${matches ? 'matches' : 'does not match'} ${file}`, () => {
    expect(compileGlob(glob)(file)).toBe(matches);
  });
