// Generated from pack.yaml by `npx packgate types`: do not edit. `npm run check` fails when it is stale.
import { packTest, refusalDetails, type PackContext } from '../../fixtures/index.ts';

export { expect, SIGNED_OUT } from '../../fixtures/index.ts';

/** The paths of pack "app-launch" by name, each with its `{placeholders}` (`never`: none). */
export type Paths = {
  apps: never;
  'apps-api': never;
  'workloads-api': never;
  'workload-api': 'id';
  context: never;
  workload: 'id';
  'launch-form': 'app';
};

/** The selectors of pack "app-launch" by name, each with its `{placeholders}` (`never`: none). */
export type Selectors = {
  'app-card': 'app';
  'app-launch': 'app';
  'launch-submit': never;
  'workload-state': never;
  'workload-reason': never;
  'workload-history': never;
};

export type PathName = keyof Paths;
export type SelectorName = keyof Selectors;

/** The `pack` fixture of this pack: `pack.url(name, { placeholder })`, `pack.selector(name)`. */
export type Pack = PackContext<Paths, Selectors>;

/** The fixtures' `test`, with `pack` typed by this pack's names. */
export const test = packTest<Pack>();

/** The refusals pack "app-launch" declares, by id. */
export type RefusalId = 'foreign-project' | 'foreign-workload' | 'over-quota' | 'forged-launch';

/** Details of a test proving refusals of this pack: `test(title, refuses(id), body)`. */
export const refuses = (...ids: RefusalId[]) => refusalDetails(ids);
