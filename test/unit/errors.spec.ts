import { expect, test } from '@playwright/test';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.ts';
import { PackgateError } from '../../src/diagnostics/errors.ts';

const problem = (line: number, path: string, message: string): Diagnostic => ({
  severity: 'error',
  rule: 'schema',
  file: 'packs/a/pack.yaml',
  line,
  col: 3,
  path,
  message,
});

test('one error for users: the message, every located problem below it, then the hint', () => {
  const error = new PackgateError('CATALOGUE_INVALID', 'the packgate catalogue has problems', {
    diagnostics: [problem(7, 'layers[1]', 'expected one of "api", got "ui"'), problem(2, 'owner', 'is empty')],
    hint: 'run `npx packgate lint`',
  });
  expect(error.message).toBe(
    'the packgate catalogue has problems:\n' +
      'packs/a/pack.yaml:2:3 owner: is empty\n' +
      'packs/a/pack.yaml:7:3 layers[1]: expected one of "api", got "ui"\n' +
      '  hint: run `npx packgate lint`',
  );
  expect(error).toMatchObject({ name: 'PackgateError', code: 'CATALOGUE_INVALID', hint: 'run `npx packgate lint`' });
  expect(error.diagnostics.map(d => d.line)).toEqual([7, 2]);
});

test('the exit code the CLI uses: 2 for bad input, 1 for a refusal, or as the thrower says', () => {
  expect(new PackgateError('INPUT_INVALID', 'no verdict').exitCode).toBe(2);
  expect(new PackgateError('TASK_HELD', 'task T-1 is held by s-2').exitCode).toBe(1);
  expect(new PackgateError('STORE_UNAVAILABLE', 'locked', { exitCode: 1 }).exitCode).toBe(1);
});

test('without diagnostics or hint the message is the message alone; a cause is kept', () => {
  const cause = new Error('EACCES');
  const error = new PackgateError('GIT_FAILED', 'git status failed', { cause });
  expect(error.message).toBe('git status failed');
  expect(error.diagnostics).toEqual([]);
  expect(error.cause).toBe(cause);
  expect('cause' in new PackgateError('GIT_FAILED', 'x')).toBe(false);
});
