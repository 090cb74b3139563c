import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { didYouMean } from '../diagnostics/nearest.ts';
import { at, type YamlSource } from '../diagnostics/yaml-source.ts';
import type { Layer } from '../schema/common.ts';
import type { Pack } from '../schema/pack.ts';
import type { Refusal } from '../schema/refusal.ts';
import type { Catalogue, CheckView } from './load.ts';
import { stringLiterals } from './spec-literals.ts';
import { specsRun } from './spec-path.ts';

/** A test's claim, in a spec's source, to prove a refusal: `refuses('<id>', ...)` in its details. */
export type RefusalClaim = { id: string; file: string; line: number; col: number };

/**
 * The refusal ids claimed in a spec, read from its source: every string literal among the arguments of
 * a `refuses(...)` call. Read statically, so lint needs no Playwright listing, and the generated
 * `refuses` only takes the pack's declared ids, so a claim is a literal wherever tsc passes.
 */
export function refusalClaims(file: string, text: string): RefusalClaim[] {
  const out: RefusalClaim[] = [];
  // A test commented out claims nothing: it proves nothing, and lint must say the refusal is unclaimed.
  for (const call of withoutComments(text).matchAll(/\brefuses\(([^)]*)\)/g)) {
    const argsAt = call.index + call[0].indexOf('(') + 1;
    for (const literal of stringLiterals(call[1])) {
      const before = text.slice(0, argsAt + literal.start);
      out.push({
        id: literal.value,
        file,
        line: before.split('\n').length,
        col: before.length - before.lastIndexOf('\n'),
      });
    }
  }
  return out;
}

/**
 * TypeScript source with its comments blanked (each character a space, newlines kept, so a claim's
 * line and column are the source's); string and template literals are kept, `//` in a URL included.
 */
function withoutComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const comment = c === '/' ? (text[i + 1] === '/' ? '\n' : text[i + 1] === '*' ? '*/' : undefined) : undefined;
    if (comment) {
      const end = text.indexOf(comment, i + 2);
      const stop = end === -1 ? text.length : comment === '\n' ? end : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The claims of the specs a pack runs (paths relative to `root`). */
export function claimsOfSpecs(root: string, specs: readonly string[]): RefusalClaim[] {
  // A spec that does not exist claims nothing; lint reports it missing on its own.
  return specs.flatMap(spec => {
    const file = path.join(root, spec);
    return fs.existsSync(file) ? refusalClaims(spec, fs.readFileSync(file, 'utf8')) : [];
  });
}

/**
 * Fewer refusals than this need `refusals_note:` saying why: the surface may have fewer, but that is
 * said, not left to luck. Lint warns of a pack that neither has them nor says why, and of a note
 * saying why of a pack that has them (fewRefusals).
 */
export const MIN_REFUSALS = 3;

/**
 * A warning for each pack with fewer than MIN_REFUSALS refusals and no `refusals_note:`, at its
 * `refusals:` (or the top of pack.yaml without one). Read from each pack.yaml as written (the loader's
 * view), so a schema error elsewhere hides it no more than it hides an error; a `refusals:` that did
 * not validate counts nothing, and a `refusals_note:` that did not is there: their own errors say so.
 */
export function fewRefusals(packs: CheckView['packs']): Diagnostic[] {
  return [...packs.values()].flatMap(({ value: pack, source }) => {
    const noted = (source.value() as { refusals_note?: unknown } | null)?.refusals_note !== undefined;
    // A note left from when the pack had fewer: the README's table would still print "(fewer: 3)".
    if (pack.refusals && pack.refusals.length >= MIN_REFUSALS && noted)
      return [
        at(
          source,
          ['refusals_note'],
          'few-refusals',
          `says why the pack has fewer than ${MIN_REFUSALS} refusals, but it declares ${pack.refusals.length}`,
          'remove refusals_note:, then run `npx packgate refusals --update`',
          { severity: 'warning', key: true },
        ),
      ];
    if (!pack.refusals || pack.refusals.length >= MIN_REFUSALS || noted) return [];
    const n = pack.refusals.length;
    const declared = n ? `declares ${n} refusal${n === 1 ? '' : 's'}` : 'declares no refusal';
    return [
      at(
        source,
        ['refusals'],
        'few-refusals',
        `${declared}, fewer than ${MIN_REFUSALS}, and no refusals_note says why`,
        "declare what else the pack's surface must refuse (another user's resources, no session, the wrong role, " +
          'a forged request), or say in refusals_note: why it has fewer',
        { severity: 'warning', key: true },
      ),
    ];
  });
}

/**
 * A pack's refusals against its tests' claims: every declared refusal is claimed by a test of a spec
 * some layer runs, and every claim names a declared refusal. `unrunClaims` are those of the specs
 * beside pack.yaml that no layer runs: a refusal claimed there alone is said to be, so its author
 * names the spec under a layer rather than writing the test a second time.
 */
export function checkRefusalClaims(
  source: YamlSource,
  pack: { refusals?: Array<Partial<Refusal>> },
  claims: readonly RefusalClaim[],
  unrunClaims: readonly RefusalClaim[] = [],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const declared = (pack.refusals ?? []).map(r => r.id);
  declared.forEach((id, i) => {
    if (!id || claims.some(c => c.id === id)) return;
    const unrun = unrunClaims.find(c => c.id === id);
    out.push(
      unrun
        ? at(
            source,
            ['refusals', i, 'id'],
            'unproven-refusal',
            `refusal "${id}" is claimed only by ${unrun.file}:${unrun.line}, a spec no layer runs`,
            `name ${path.basename(unrun.file)} under the layer that proves it in layers: of ${source.file}`,
          )
        : at(
            source,
            ['refusals', i, 'id'],
            'unproven-refusal',
            `refusal "${id}" is claimed by no test of the specs the pack runs`,
            `prove it in a spec of the pack at the lowest layer that can: test('...', refuses('${id}'), async (...) => ...)`,
          ),
    );
  });
  for (const claim of claims)
    if (!declared.includes(claim.id))
      out.push({
        severity: 'error',
        rule: 'undeclared-refusal',
        file: claim.file,
        line: claim.line,
        col: claim.col,
        path: '',
        message: `the test claims refusal "${claim.id}", which ${source.file} does not declare`,
        hint: declared.length
          ? `${meant(claim.id, declared)}declare it under refusals: in ${source.file}, or claim one of: ${declared.join(', ')}`
          : `declare it under refusals: in ${source.file}`,
      });
  return out;
}

/** `did you mean "<id>"? Else `, for a claim a typo away from a declared id; else nothing. */
function meant(id: string, declared: ReadonlyArray<string | undefined>): string {
  const near = didYouMean(
    id,
    declared.filter((d): d is string => d !== undefined),
  );
  return near ? `${near} Else ` : '';
}

/** A declared refusal with the tests that claim it and the layers that run them. */
export type ProvenRefusal = Refusal & { pack: string; claims: Array<RefusalClaim & { layers: Layer[] }> };

/** Every pack's refusals with their claims, in catalogue order: what lint lists and the README's table shows. */
export function refusalsOfCatalogue(catalogue: Catalogue): Map<string, { note?: string; refusals: ProvenRefusal[] }> {
  const out = new Map<string, { note?: string; refusals: ProvenRefusal[] }>();
  for (const [id, { value: pack, dir }] of catalogue.packs) {
    const claims = claimsOfPack(catalogue.root, dir, pack);
    out.set(id, {
      note: pack.refusals_note,
      refusals: pack.refusals.map(r => ({ ...r, pack: id, claims: claims.filter(c => c.id === r.id) })),
    });
  }
  return out;
}

/** The claims of the specs a pack runs, each with the layers that run its spec. */
export function claimsOfPack(root: string, dir: string, pack: Pack): Array<RefusalClaim & { layers: Layer[] }> {
  const layersOf = (spec: string) => pack.layers.filter(layer => pack.specs[layer]?.includes(spec));
  return specsRun(pack).flatMap(spec =>
    claimsOfSpecs(root, [`${dir}/${spec}`]).map(claim => ({ ...claim, layers: layersOf(spec) })),
  );
}
