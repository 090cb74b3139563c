// Generated from pack.yaml by `npx packgate types`: do not edit. `npm run check` fails when it is stale.
import { packTest, refusalDetails, type PackContext } from '../../fixtures/index.ts';

export { expect, SIGNED_OUT } from '../../fixtures/index.ts';

/** The paths of pack "v3-shell" by name, each with its `{placeholders}` (`never`: none). */
export type Paths = {
  shell: never;
  context: never;
  tenants: never;
  notebooks: never;
  'context-form': never;
  rollout: never;
};

/** The selectors of pack "v3-shell" by name, each with its `{placeholders}` (`never`: none). */
export type Selectors = {
  'tenant-context': never;
  'project-context': never;
  'tenant-switcher': never;
  'project-switcher': never;
  'context-apply': never;
  nav: 'mode';
  'mode-title': never;
};

export type PathName = keyof Paths;
export type SelectorName = keyof Selectors;

/** The `pack` fixture of this pack: `pack.url(name, { placeholder })`, `pack.selector(name)`. */
export type Pack = PackContext<Paths, Selectors>;

/** The fixtures' `test`, with `pack` typed by this pack's names. */
export const test = packTest<Pack>();

/** The refusals pack "v3-shell" declares, by id. */
export type RefusalId = 'foreign-tenant' | 'project-outside-tenant' | 'forged-context-switch';

/** Details of a test proving refusals of this pack: `test(title, refuses(id), body)`. */
export const refuses = (...ids: RefusalId[]) => refusalDetails(ids);
