// Generated from pack.yaml by `npx packgate types`: do not edit. `npm run check` fails when it is stale.
import { packTest, refusalDetails, type PackContext } from '../../fixtures/index.ts';

export { expect, SIGNED_OUT } from '../../fixtures/index.ts';

/** The paths of pack "node-inventory" by name, each with its `{placeholders}` (`never`: none). */
export type Paths = {
  nodes: never;
  'nodes-api': never;
};

/** The selectors of pack "node-inventory" by name, each with its `{placeholders}` (`never`: none). */
export type Selectors = {
  'node-row': 'node';
  'node-readiness': 'node';
  'node-blockers': 'node';
  'node-tasks': 'node';
};

export type PathName = keyof Paths;
export type SelectorName = keyof Selectors;

/** The `pack` fixture of this pack: `pack.url(name, { placeholder })`, `pack.selector(name)`. */
export type Pack = PackContext<Paths, Selectors>;

/** The fixtures' `test`, with `pack` typed by this pack's names. */
export const test = packTest<Pack>();

/** The refusals pack "node-inventory" declares, by id. */
export type RefusalId = 'member-reads-nodes' | 'member-opens-nodes-page' | 'visitor-opens-nodes-page';

/** Details of a test proving refusals of this pack: `test(title, refuses(id), body)`. */
export const refuses = (...ids: RefusalId[]) => refusalDetails(ids);
