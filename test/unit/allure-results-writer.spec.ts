import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { AllureResultsWriter } from '../../reporters/allure-results-writer.ts';

test("Allure's results folder as allure-js-commons writes it: whole files, no temporary one left", ({}, testInfo) => {
  const dir = testInfo.outputPath('allure-results');
  const writer = new AllureResultsWriter(dir);
  writer.writeResult({ uuid: 'u-1', name: 'a test' } as Parameters<AllureResultsWriter['writeResult']>[0]);
  writer.writeAttachment('a-attachment.txt', Buffer.from('evidence'));
  // allure-js-commons' own escaping of the properties file, from the copy allure-playwright loaded.
  writer.writeEnvironmentInfo({ environment: 'local', 'stage=dev': 'dev' });

  expect(fs.readdirSync(dir).sort()).toEqual(['a-attachment.txt', 'environment.properties', 'u-1-result.json']);
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'u-1-result.json'), 'utf8'))).toEqual({
    uuid: 'u-1',
    name: 'a test',
  });
  expect(fs.readFileSync(path.join(dir, 'a-attachment.txt'), 'utf8')).toBe('evidence');
  expect(fs.readFileSync(path.join(dir, 'environment.properties'), 'utf8')).toBe('environment=local\nstage\\=dev=dev');
});
