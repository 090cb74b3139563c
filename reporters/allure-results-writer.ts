import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Writer } from 'allure-js-commons/sdk/reporter';

// The CommonJS copy allure-playwright (CommonJS only) has already loaded: an import here would load
// allure-js-commons' ES module build beside it, about 25 more modules before the first test.
const { stringifyEnvInfo } = createRequire(import.meta.url)(
  'allure-js-commons/sdk/reporter',
) as typeof import('allure-js-commons/sdk/reporter');

type WriterArgs<K extends keyof Writer> = Parameters<Writer[K]>;

/**
 * Allure's results folder, written as allure-js-commons' FileSystemWriter writes it (each file
 * whole, through a temporary file renamed into place, so a reader never sees half of one) but
 * without its fsync of every file: the results are a report of a run that any rerun rebuilds, and
 * the fsyncs were about half a second of a short gate run on this machine (bench/RESULTS.md).
 */
export class AllureResultsWriter implements Writer {
  constructor(private readonly resultsDir: string) {}

  writeResult(...[result]: WriterArgs<'writeResult'>): void {
    this.write(`${result.uuid}-result.json`, JSON.stringify(result));
  }

  writeGroup(...[group]: WriterArgs<'writeGroup'>): void {
    this.write(`${group.uuid}-container.json`, JSON.stringify(group));
  }

  writeAttachment(...[name, content]: WriterArgs<'writeAttachment'>): void {
    this.write(name, content);
  }

  writeAttachmentFromPath(...[name, from]: WriterArgs<'writeAttachmentFromPath'>): void {
    this.write(name, fs.readFileSync(from));
  }

  writeEnvironmentInfo(...[info]: WriterArgs<'writeEnvironmentInfo'>): void {
    this.write('environment.properties', stringifyEnvInfo(info));
  }

  writeCategoriesDefinitions(...[categories]: WriterArgs<'writeCategoriesDefinitions'>): void {
    this.write('categories.json', JSON.stringify(categories));
  }

  writeGlobals(...[name, globals]: WriterArgs<'writeGlobals'>): void {
    this.write(name, JSON.stringify(globals));
  }

  private write(name: string, content: string | Buffer): void {
    fs.mkdirSync(this.resultsDir, { recursive: true });
    const file = path.join(this.resultsDir, name);
    const temp = path.join(this.resultsDir, `.allure-write-${crypto.randomUUID()}.tmp`);
    try {
      fs.writeFileSync(temp, content);
      fs.renameSync(temp, file);
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }
}
