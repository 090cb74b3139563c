import path from 'node:path';

/**
 * Where a Playwright run leaves artifacts that CI publishes, besides the gate's own output folder:
 * each project's output folder (test-results) and what the configured reporters write, each where
 * that reporter puts it (env var, then option, then its default), relative to the config's folder.
 * Listed whether or not they exist; a sweep skips what is not there.
 */
export function publishedArtifactPaths(
  config: {
    configDir: string;
    projectOutputDirs: readonly string[];
    reporters: ReadonlyArray<readonly [name: string, options?: unknown]>;
  },
  processEnv: Record<string, string | undefined> = process.env,
): string[] {
  const at = (...candidates: Array<string | undefined>) => {
    const chosen = candidates.find(c => typeof c === 'string' && c.length > 0);
    return chosen === undefined ? [] : [path.resolve(config.configDir, chosen)];
  };
  const out = [...config.projectOutputDirs];
  for (const [name, rawOptions] of config.reporters) {
    const options = (rawOptions && typeof rawOptions === 'object' ? rawOptions : {}) as Record<string, unknown>;
    const option = (key: string) => (typeof options[key] === 'string' ? (options[key] as string) : undefined);
    if (name === 'html')
      out.push(...at(processEnv.PLAYWRIGHT_HTML_OUTPUT_DIR, option('outputFolder'), 'playwright-report'));
    else if (name === 'blob')
      out.push(...at(processEnv.PLAYWRIGHT_BLOB_OUTPUT_DIR, option('outputDir'), 'blob-report'));
    else if (name === 'junit') out.push(...at(processEnv.PLAYWRIGHT_JUNIT_OUTPUT_FILE, option('outputFile')));
    else if (name === 'json') out.push(...at(processEnv.PLAYWRIGHT_JSON_OUTPUT_FILE, option('outputFile')));
    else if (/allure/.test(name))
      out.push(...at(processEnv.ALLURE_RESULTS_DIR, option('resultsDir'), 'allure-results'));
  }
  return [...new Set(out.map(p => path.resolve(config.configDir, p)))];
}
