// Generated from pack.yaml by `npx packgate types`: do not edit. `npm run check` fails when it is stale.
import { packTest, refusalDetails, type PackContext } from '../../fixtures/index.ts';

export { expect, SIGNED_OUT } from '../../fixtures/index.ts';

/** The paths of pack "terminal" by name, each with its `{placeholders}` (`never`: none). */
export type Paths = {
  allocations: never;
  socket: 'allocation';
  terminal: 'allocation';
};

/** The selectors of pack "terminal" by name, each with its `{placeholders}` (`never`: none). */
export type Selectors = {
  'terminal-open': 'allocation';
  'terminal-status': never;
  'terminal-output': never;
  'terminal-input': never;
};

export type PathName = keyof Paths;
export type SelectorName = keyof Selectors;

/** The `pack` fixture of this pack: `pack.url(name, { placeholder })`, `pack.selector(name)`. */
export type Pack = PackContext<Paths, Selectors>;

/** The fixtures' `test`, with `pack` typed by this pack's names. */
export const test = packTest<Pack>();

/** The refusals pack "terminal" declares, by id. */
export type RefusalId = 'visitor-terminal' | 'foreign-origin-terminal' | 'foreign-allocation' | 'ended-allocation';

/** Details of a test proving refusals of this pack: `test(title, refuses(id), body)`. */
export const refuses = (...ids: RefusalId[]) => refusalDetails(ids);
