import path from 'node:path';
import type { FullConfig, FullProject } from '@playwright/test';
import type { Suite, TestCase, TestResult } from '@playwright/test/reporter';
import type { Writer } from 'allure-js-commons/sdk/reporter';
import { AllureReporter } from 'allure-playwright';
import { AllureResultsWriter } from './allure-results-writer.ts';
import type { Catalogue } from '../src/catalogue/load.ts';
import { packsOfEnvironment } from '../src/catalogue/environment-packs.ts';
import { packOfTest } from '../src/gate/observe.ts';
import { TASK_ID_VAR } from '../src/loop/task-id-var.ts';
import { readProjectMetadata } from '../src/catalogue/project-plan.ts';
import { runCatalogue } from './run-catalogue.ts';
import { allureLabels, type ReportLabel } from '../src/reports/allure-labels.ts';
import type { Policy } from '../src/schema/common.ts';

/**
 * allure-playwright, with every gate test labelled from its pack (see allureLabels). Listed after
 * the gate reporter, so the attachments it copies are the redacted ones; the gate's last sweep
 * redacts what it writes besides (error messages in its result files).
 */
export default class PackgateAllureReporter extends AllureReporter {
  private catalogue?: Catalogue;
  /** The policy of each pack in each environment, as `<environment>/<pack>`. */
  private readonly policies = new Map<string, Policy>();

  override onConfigure(config: FullConfig): void {
    // merge-reports configures reporters with no projects, where allure-playwright reads the first
    // one's folders (for image diffs): give it the default test-results folder instead.
    const fallback = { outputDir: path.join(config.rootDir, 'test-results'), snapshotDir: config.rootDir };
    super.onConfigure(config.projects.length ? config : { ...config, projects: [fallback as FullProject] });
    this.catalogue = runCatalogue(config.rootDir);
  }

  /**
   * allure-playwright builds its runtime here with allure-js-commons' FileSystemWriter, which
   * fsyncs every result and attachment; it takes no writer of ours (its options are overridden), so
   * the runtime's writer is swapped for one that writes the same files without the fsyncs. Should
   * allure-playwright stop keeping its runtime there, its own writer stays: slower, never wrong.
   */
  override onBegin(suite: Suite): void {
    super.onBegin(suite);
    const runtime = (this as unknown as { allureRuntime?: { writer?: Writer } }).allureRuntime;
    if (runtime?.writer && this.options.resultsDir) runtime.writer = new AllureResultsWriter(this.options.resultsDir);
  }

  /**
   * allure-playwright turns `@allure.label.<name>` annotations into labels when a test begins, and
   * reads them nowhere else: the pack's labels are lent to the test for that call only, so no other
   * reporter (the HTML report, JUnit) sees them as annotations. Annotations without a description
   * (Playwright's `serial` mark of the sign-in setup) are kept from it for that call: it shows every
   * other annotation as a step `<type>: <description>`, here "serial: undefined".
   */
  override onTestBegin(test: TestCase, result?: TestResult): void {
    const own = [...test.annotations];
    const lent = this.labelsOf(test).map(l => ({ type: `@allure.label.${l.name}`, description: l.value }));
    test.annotations.splice(0, own.length, ...own.filter(a => a.description !== undefined), ...lent);
    try {
      (super.onTestBegin as (test: TestCase, result?: TestResult) => void)(test, result);
    } finally {
      test.annotations.splice(0, test.annotations.length, ...own);
    }
  }

  private labelsOf(test: TestCase): ReportLabel[] {
    const project = test.parent.project();
    const meta = project && readProjectMetadata(project);
    const id = meta && packOfTest(test, meta);
    const pack = id && this.catalogue?.packs.get(id)?.value;
    const policy = meta && pack && this.policyOf(meta.environment, pack.id);
    if (!meta || !pack || !policy) return [];
    const taskId = process.env[TASK_ID_VAR] || undefined;
    return allureLabels({ pack, policy, environment: meta.environment, stage: meta.stage, layer: meta.layer, taskId });
  }

  private policyOf(environment: string, pack: string): Policy | undefined {
    const key = `${environment}/${pack}`;
    if (!this.policies.has(key)) {
      const env = this.catalogue?.environments.get(environment)?.value;
      const packs = [...(this.catalogue?.packs.values() ?? [])].map(p => p.value);
      for (const run of env ? packsOfEnvironment(env, packs) : [])
        this.policies.set(`${environment}/${run.pack.id}`, run.policy);
    }
    return this.policies.get(key);
  }
}
