// Generated from pack.yaml by `npx packgate types`: do not edit. `npm run check` fails when it is stale.
import { packTest, refusalDetails, type PackContext } from '../../fixtures/index.ts';

export { expect, SIGNED_OUT } from '../../fixtures/index.ts';

/** The paths of pack "platform-proxy" by name, each with its `{placeholders}` (`never`: none). */
export type Paths = {
  'app-echo': never;
  'app-api-echo': never;
  'api-echo': never;
  'terminal-echo': never;
  'app-health': never;
  'api-health': never;
};

/** The selectors of pack "platform-proxy" by name, each with its `{placeholders}` (`never`: none). */
export type Selectors = Record<never, never>;

export type PathName = keyof Paths;
export type SelectorName = keyof Selectors;

/** The `pack` fixture of this pack: `pack.url(name, { placeholder })`, `pack.selector(name)`. */
export type Pack = PackContext<Paths, Selectors>;

/** The fixtures' `test`, with `pack` typed by this pack's names. */
export const test = packTest<Pack>();

/** The refusals pack "platform-proxy" declares, by id. */
export type RefusalId = 'unknown-host' | 'upgrade-off-route';

/** Details of a test proving refusals of this pack: `test(title, refuses(id), body)`. */
export const refuses = (...ids: RefusalId[]) => refusalDetails(ids);
