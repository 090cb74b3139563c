import type { PathRef } from '../schema/common.ts';
import type { Pack } from '../schema/pack.ts';
import { placeholdersOf } from './placeholders.ts';

/** Beside pack.yaml: the pack's names as TypeScript types, for its specs and journey helpers to import. */
export const PACK_TYPES_FILE = 'pack.gen.ts';

/** The command that writes it, for the hints of whatever finds it stale. */
export const PACK_TYPES_COMMAND = 'npx packgate types';

/**
 * The source of a pack's `pack.gen.ts`: its paths' and selectors' names with their placeholders as
 * types, and the fixtures' `test` typed with them, so a misspelt name or a missing placeholder value
 * fails `tsc` where the spec is. One module per pack, beside its specs: a spec imports `./pack.gen.ts`
 * and is typed for its own pack without naming it (a pack id passed as a type argument would be one
 * more string to misspell). `fixturesModule` is the import path of the fixtures from the pack's folder.
 * The output is what Prettier would write, so the generated file passes `npm run check` as it is.
 */
export function renderPackTypes(pack: Pack, fixturesModule: string): string {
  const paths = Object.entries(pack.paths).map(([name, ref]) => [name, templateOf(ref)] as const);
  const selectors = Object.entries(pack.selectors);
  return [
    `// Generated from pack.yaml by \`${PACK_TYPES_COMMAND}\`: do not edit. \`npm run check\` fails when it is stale.`,
    `import { packTest, refusalDetails, type PackContext } from '${fixturesModule}';`,
    '',
    `export { expect, SIGNED_OUT } from '${fixturesModule}';`,
    '',
    `/** The paths of pack "${pack.id}" by name, each with its \`{placeholders}\` (\`never\`: none). */`,
    `export type Paths = ${typeLiteral(paths)};`,
    '',
    `/** The selectors of pack "${pack.id}" by name, each with its \`{placeholders}\` (\`never\`: none). */`,
    `export type Selectors = ${typeLiteral(selectors)};`,
    '',
    'export type PathName = keyof Paths;',
    'export type SelectorName = keyof Selectors;',
    '',
    '/** The `pack` fixture of this pack: `pack.url(name, { placeholder })`, `pack.selector(name)`. */',
    'export type Pack = PackContext<Paths, Selectors>;',
    '',
    "/** The fixtures' `test`, with `pack` typed by this pack's names. */",
    'export const test = packTest<Pack>();',
    '',
    `/** The refusals pack "${pack.id}" declares, by id. */`,
    `export type RefusalId = ${pack.refusals.length ? pack.refusals.map(r => quote(r.id)).join(' | ') : 'never'};`,
    '',
    '/** Details of a test proving refusals of this pack: `test(title, refuses(id), body)`. */',
    'export const refuses = (...ids: RefusalId[]) => refusalDetails(ids);',
    '',
  ].join('\n');
}

function templateOf(ref: PathRef): string {
  return typeof ref === 'string' ? ref : ref.path;
}

function typeLiteral(entries: ReadonlyArray<readonly [string, string]>): string {
  if (!entries.length) return 'Record<never, never>';
  const members = entries.map(([name, template]) => {
    const placeholders = placeholdersOf(template);
    return `  ${propertyName(name)}: ${placeholders.length ? placeholders.map(p => quote(p)).join(' | ') : 'never'};`;
  });
  return `{\n${members.join('\n')}\n}`;
}

/** As Prettier writes a key: bare where it is an identifier, quoted where it is not (`'user-identity'`). */
function propertyName(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : quote(name);
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
