// Generated from pack.yaml by `npx packgate types`: do not edit. `npm run check` fails when it is stale.
import { packTest, refusalDetails, type PackContext } from '../../fixtures/index.ts';

export { expect, SIGNED_OUT } from '../../fixtures/index.ts';

/** The paths of pack "demo-deploy" by name, each with its `{placeholders}` (`never`: none). */
export type Paths = {
  'app-health': never;
  'api-health': never;
  'auth-health': never;
  'auth-discovery': never;
  shell: never;
  'api-me': never;
  rollout: never;
};

/** The selectors of pack "demo-deploy" by name, each with its `{placeholders}` (`never`: none). */
export type Selectors = Record<never, never>;

export type PathName = keyof Paths;
export type SelectorName = keyof Selectors;

/** The `pack` fixture of this pack: `pack.url(name, { placeholder })`, `pack.selector(name)`. */
export type Pack = PackContext<Paths, Selectors>;

/** The fixtures' `test`, with `pack` typed by this pack's names. */
export const test = packTest<Pack>();

/** The refusals pack "demo-deploy" declares, by id. */
export type RefusalId = 'api-visitor' | 'shell-visitor';

/** Details of a test proving refusals of this pack: `test(title, refuses(id), body)`. */
export const refuses = (...ids: RefusalId[]) => refusalDetails(ids);
