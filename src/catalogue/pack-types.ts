import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { PathRef } from '../schema/common.ts';
import type { Pack } from '../schema/pack.ts';
import type { Catalogue, CheckView } from './load.ts';
import { placeholdersOf } from './placeholders.ts';

/** Beside pack.yaml: the pack's names as TypeScript types, for its specs and journey helpers to import. */
export const PACK_TYPES_FILE = 'pack.gen.ts';

/** The command that writes it, for the hints of whatever finds it stale. */
export const PACK_TYPES_COMMAND = 'npx packgate types';

/** The module whose `test` each pack.gen.ts types: the project's fixtures, as pack specs import them. */
const FIXTURES_MODULE = 'fixtures/index.ts';

/** A pack's pack.gen.ts that is missing or differs from what its pack.yaml gives, and what it should hold. */
export type PackTypesChange = { file: string; text: string; missing: boolean };

/** Every pack's pack.gen.ts that `packgate types` would write: missing, or out of date with pack.yaml. */
export function packTypesChanges(catalogue: Catalogue): PackTypesChange[] {
  const { root } = catalogue;
  return [...catalogue.packs.values()].flatMap(pack => {
    const { file, text } = packTypesOf(root, pack.dir, pack.value);
    const full = path.join(root, file);
    const missing = !fs.existsSync(full);
    return !missing && fs.readFileSync(full, 'utf8') === text ? [] : [{ file, text, missing }];
  });
}

/** The pack.gen.ts of a pack in `dir` (relative to the root): where it goes and what it holds. */
export function packTypesOf(root: string, dir: string, pack: Pack): { file: string; text: string } {
  const fixtures = path.relative(path.join(root, dir), path.join(root, FIXTURES_MODULE)).split(path.sep).join('/');
  const text = renderPackTypes(pack, fixtures.startsWith('.') ? fixtures : `./${fixtures}`);
  return { file: `${dir}/${PACK_TYPES_FILE}`, text };
}

/**
 * Lint's view of the same: a missing pack.gen.ts that the pack's code imports is an error (none of
 * its specs would load), one out of date a warning (`npm run typecheck` judges it by the old names).
 * With the loader's view, a missing one of a pack.yaml with schema errors too: it has no types to
 * write until they are fixed, but is said now, not on the lint after they are.
 */
export function packTypesDiagnostics(catalogue: Catalogue, view?: CheckView): Diagnostic[] {
  const imported = (file: string) => {
    const dir = path.join(catalogue.root, path.dirname(file));
    return fs
      .readdirSync(dir)
      .some(
        name => name.endsWith('.ts') && fs.readFileSync(path.join(dir, name), 'utf8').includes(`./${PACK_TYPES_FILE}`),
      );
  };
  const write = `run \`${PACK_TYPES_COMMAND}\` and commit the result`;
  const current = packTypesChanges(catalogue)
    .filter(c => !c.missing || imported(c.file))
    .map(({ file, missing }) => (missing ? missingTypes(file, write) : staleTypes(file, write)));
  const invalid = [...(view?.packs ?? [])]
    .filter(([id]) => !catalogue.packs.has(id))
    .map(([, { dir }]) => `${dir}/${PACK_TYPES_FILE}`)
    .filter(file => !fs.existsSync(path.join(catalogue.root, file)) && imported(file))
    .map(file => missingTypes(file, `fix the errors of ${path.dirname(file)}/pack.yaml, then ${write}`));
  return [...current, ...invalid];
}

function missingTypes(file: string, hint: string): Diagnostic {
  const message = `${PACK_TYPES_FILE} is missing: the pack's specs import their typed test and expect from it`;
  return { severity: 'error', rule: 'pack-types-missing', file, line: 1, col: 1, path: '', message, hint };
}

function staleTypes(file: string, hint: string): Diagnostic {
  const message = `${PACK_TYPES_FILE} is out of date with pack.yaml: its names are the old ones`;
  return { severity: 'warning', rule: 'pack-types-stale', file, line: 1, col: 1, path: '', message, hint };
}

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
