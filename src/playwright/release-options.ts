import type { Catalogue } from '../catalogue/load.ts';
import type { ProjectPlan } from '../catalogue/project-plan.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import type { CommandLine } from '../run/command-line.ts';
import { releaseStages } from '../schema/constants.ts';

/**
 * `--update-snapshots` modes that fail a test whose snapshot is missing or differs: `default` is the
 * run without -u; `missing` passes a test whose snapshot is missing (it writes one), `changed` and
 * `all` one whose snapshot differs too.
 */
const COMPARING_MODES: ReadonlySet<string> = new Set(['none', 'default']);

/**
 * Stops a release-stage test run (exit 2) given a snapshot option that passes what it compares:
 * `-u`/`--update-snapshots` (any mode but `none`, `default`) writes each snapshot a page no longer matches, or that is
 * missing, and passes the test, and `--ignore-snapshots` compares nothing; a release run
 * would pass whatever its pages show. Options that only select tests are judged in the verdict
 * (run-flags.ts); these leave no trace in it, so they are refused before anything runs.
 */
export function checkReleaseOptions(
  commandLine: CommandLine,
  selected: readonly ProjectPlan[],
  catalogue: Pick<Catalogue, 'environments'>,
): void {
  const release = [...new Set(selected.map(p => p.metadata.environment))]
    .map(name => catalogue.environments.get(name))
    .find(env => env && releaseStages.has(env.value.stage));
  if (!release) return;
  const { updateSnapshots, ignoreSnapshots } = commandLine.options;
  const passing = commandLine.given.flatMap(arg =>
    'option' in arg &&
    ((arg.option.name === 'updateSnapshots' && !COMPARING_MODES.has(String(updateSnapshots))) ||
      (arg.option.name === 'ignoreSnapshots' && ignoreSnapshots))
      ? [arg.value === undefined ? arg.as : `${arg.as}=${arg.value}`]
      : [],
  );
  if (!passing.length) return;
  const { name, stage } = release.value;
  throw new PackgateError(
    'INPUT_INVALID',
    `${passing.join(' ')}: a run of ${name} (stage ${stage} in ${release.source.file}, a release stage) would ` +
      'pass every snapshot comparison whatever the pages show, where a release verdict compares them with the committed snapshots',
    {
      hint:
        'run without it; update snapshots on a dev run (npx playwright test -u <spec>), review the new ' +
        'ones and commit them, then run the release gate',
    },
  );
}
