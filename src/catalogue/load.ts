import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { environmentSchema, type Environment } from '../schema/environment.ts';
import { packSchema, type Pack } from '../schema/pack.ts';
import { faultCatalogueSchema, projectSchema, type Fault, type ProjectManifest } from '../schema/project.ts';
import { seedSetSchema, type SeedSet } from '../schema/seed.ts';
import { TEST_MANIFEST_FILE, testManifestSchema, type TestManifest } from '../schema/test-manifest.ts';
import { crossCheck } from './cross-check.ts';
import { isSpecFile, specsRun } from './spec-path.ts';
import { at, YamlSource } from '../diagnostics/yaml-source.ts';
import { lenientParse, validateSource } from '../diagnostics/zod-diagnostics.ts';
import { MANIFEST_FILE } from './root.ts';
import { unreadable } from '../fs/named-file.ts';
import { didYouMean } from '../diagnostics/nearest.ts';
import { catalogueText } from './catalogue-text.ts';

export { findRoot, MANIFEST_FILE } from './root.ts';

/** A validated value and the file it came from, for locating later problems. */
export type Located<T> = { value: T; source: YamlSource };

export type LoadedPack = Located<Pack> & {
  /** Folder of the pack, relative to the root. Which of its specs each layer runs is `value.specs`. */
  dir: string;
  /** Its tests by layer (`tests.yaml`): what a complete run of the pack is. */
  tests?: Located<TestManifest>;
};

/**
 * What the cross-reference checks look at: every file that parsed as YAML, valid or not. A file that
 * failed validation contributes the fields that are valid on their own (see `lenientParse`).
 */
export type CheckView = {
  root: string;
  manifest: ProjectManifest;
  packs: Map<string, { value: Partial<Pack>; source: YamlSource; dir: string; specFiles: string[] }>;
  environments: Map<string, { value: Partial<Environment>; source: YamlSource }>;
  seeds: Map<string, { value: Partial<SeedSet>; source: YamlSource }>;
  faults: Array<{ value: Partial<Fault>; source: YamlSource; index: number }>;
  /** Packs whose pack.yaml is not YAML: its own error says so, and what names them is not told they do not exist. */
  unreadablePacks: Set<string>;
  /** Seed sets whose file is not YAML: as unreadablePacks, for what names them. */
  unreadableSeeds: Set<string>;
  /**
   * The folders packgate.yaml names that are not there (`packs_dir`, `seeds_dir`): said once, there,
   * not again at every name of a pack or seed set.
   */
  missingFolders?: ReadonlySet<string>;
};

export type Catalogue = {
  /** Absolute path of the folder holding packgate.yaml. */
  root: string;
  manifest: Located<ProjectManifest>;
  packs: Map<string, LoadedPack>;
  environments: Map<string, Located<Environment>>;
  seeds: Map<string, Located<SeedSet>>;
  /** Faults by id, with their index in the fault catalogue's list. */
  faults: Map<string, Located<Fault> & { index: number }>;
};

export type CatalogueParts = {
  /**
   * The packs, their test manifests and the checks across files (default true). Without them, the
   * manifest, environments, seed sets and faults, each file validated: what a stack needs to start,
   * in a third of the time, right after the run (or `packgate stack start`) checked it all.
   */
  packs?: boolean;
};

/**
 * Reads and validates the whole catalogue, collecting every problem: a file that fails
 * validation is left out of the catalogue, and the cross-reference checks run on the rest.
 */
export function loadCatalogue(
  root: string,
  parts: CatalogueParts = {},
): {
  catalogue: Catalogue | undefined;
  diagnostics: Diagnostic[];
  /**
   * What the cross-reference checks looked at, invalid files' valid fields too: for a caller's checks
   * of its own (lint's owners and refusal counts), so a schema error does not hide their problems.
   */
  view?: CheckView;
} {
  const withPacks = parts.packs ?? true;
  const diagnostics: Diagnostic[] = [];
  const loaded = loadFile(root, MANIFEST_FILE, projectSchema, 'schemas/project.schema.json', diagnostics);
  // Without a valid manifest there is no telling where the rest of the catalogue lives.
  if (!loaded?.value) return { catalogue: undefined, diagnostics };
  const manifest = { value: loaded.value, source: loaded.source };
  const m = manifest.value;

  const catalogue: Catalogue = {
    root,
    manifest,
    packs: new Map(),
    environments: new Map(),
    seeds: new Map(),
    faults: new Map(),
  };

  const view: CheckView = {
    root,
    manifest: m,
    packs: new Map(),
    environments: new Map(),
    seeds: new Map(),
    faults: [],
    unreadablePacks: new Set(),
    unreadableSeeds: new Set(),
  };
  const missing = missingFolders(root, manifest.source, withPacks);
  diagnostics.push(...missing.diagnostics);
  view.missingFolders = missing.fields;

  for (const dir of withPacks ? listDirs(root, m.packs_dir) : []) {
    const rel = `${m.packs_dir}/${dir}`;
    const file = `${rel}/pack.yaml`;
    if (!fs.existsSync(path.join(root, file))) {
      diagnostics.push(
        fileProblem(
          rel,
          'pack-file-missing',
          `folder ${rel}/ has no pack.yaml`,
          `add ${file}, or move the folder out of ${m.packs_dir}/`,
        ),
      );
      continue;
    }
    const pack = loadFile(root, file, packSchema, 'schemas/pack.schema.json', diagnostics);
    if (!pack) {
      view.unreadablePacks.add(dir);
      continue;
    }
    const specFiles = findSpecFiles(root, rel);
    // The fields valid on their own, in the parsed shape (lenientParse runs the schema's transform).
    const partial = pack.value ?? pack.partial;
    view.packs.set(dir, { value: { ...partial, id: dir }, source: pack.source, dir: rel, specFiles });
    if (pack.partial.id !== undefined && pack.partial.id !== dir) {
      diagnostics.push(
        at(
          pack.source,
          ['id'],
          'pack-id-folder',
          `pack id "${pack.partial.id}" does not match its folder "${dir}"`,
          `rename the folder or set id: ${dir}`,
        ),
      );
      continue;
    }
    const tests = loadTestManifest(root, rel, partial, specFiles, diagnostics);
    if (pack.value) catalogue.packs.set(dir, { value: pack.value, source: pack.source, dir: rel, tests });
  }

  diagnostics.push(
    ...unreadExtensions(root, m.environments_dir, 'environment'),
    ...unreadExtensions(root, m.seeds_dir, 'seed set'),
  );
  for (const name of listYaml(root, m.environments_dir)) {
    const env = loadFile(
      root,
      `${m.environments_dir}/${name}.yaml`,
      environmentSchema,
      'schemas/environment.schema.json',
      diagnostics,
    );
    if (!env) continue;
    view.environments.set(name, { value: { ...env.partial, name }, source: env.source });
    if (env.partial.name !== undefined && env.partial.name !== name) {
      diagnostics.push(
        at(
          env.source,
          ['name'],
          'environment-name-file',
          `environment name "${env.partial.name}" does not match its file name "${name}.yaml"`,
          `rename the file or set name: ${name}`,
        ),
      );
      continue;
    }
    if (env.value) catalogue.environments.set(name, { value: env.value, source: env.source });
  }

  for (const name of listYaml(root, m.seeds_dir)) {
    const seed = loadFile(root, `${m.seeds_dir}/${name}.yaml`, seedSetSchema, 'schemas/seed.schema.json', diagnostics);
    if (!seed) {
      view.unreadableSeeds.add(name);
      continue;
    }
    view.seeds.set(name, { value: { ...seed.partial, id: name }, source: seed.source });
    if (seed.partial.id !== undefined && seed.partial.id !== name) {
      diagnostics.push(
        at(
          seed.source,
          ['id'],
          'seed-id-file',
          `seed set id "${seed.partial.id}" does not match its file name "${name}.yaml"`,
          `rename the file or set id: ${name}`,
        ),
      );
      continue;
    }
    if (seed.value) catalogue.seeds.set(name, { value: seed.value, source: seed.source });
  }

  if (m.faults) {
    if (!fs.existsSync(path.join(root, m.faults))) {
      diagnostics.push(
        at(
          manifest.source,
          ['faults'],
          'faults-file-missing',
          `fault catalogue ${m.faults} does not exist`,
          'create it or remove "faults:" from packgate.yaml',
        ),
      );
    } else if (isFolder(path.join(root, m.faults))) {
      // Said at the field that names it: the folder's own "remove or rename the folder" would have
      // a user delete stack/ when `faults: stack` meant the file in it.
      diagnostics.push(
        at(
          manifest.source,
          ['faults'],
          'faults-file-folder',
          `"${m.faults}" is a folder: faults names the fault catalogue file`,
          `name the file, e.g. faults: ${m.faults.replace(/\/+$/, '')}/faults.yaml`,
        ),
      );
    } else {
      const faults = loadFile(root, m.faults, faultCatalogueSchema, 'schemas/faults.schema.json', diagnostics);
      faults?.value?.faults.forEach((fault, index) =>
        catalogue.faults.set(fault.id, { value: fault, source: faults.source, index }),
      );
      (faults?.partial.faults ?? []).forEach((fault, index) =>
        view.faults.push({ value: fault, source: faults!.source, index }),
      );
    }
  }

  if (withPacks) diagnostics.push(...crossCheck(view));
  return { catalogue, diagnostics, view };
}

/** The catalogue, or a CATALOGUE_INVALID error listing every problem. Warnings do not stop it. */
export function loadCatalogueOrThrow(root: string, parts: CatalogueParts = {}): Catalogue {
  return loadValidCatalogue(root, parts).catalogue;
}

/** As loadCatalogueOrThrow, with the warnings it found, for a command that says some of them. */
export function loadValidCatalogue(
  root: string,
  parts: CatalogueParts = {},
): { catalogue: Catalogue; warnings: Diagnostic[] } {
  const { catalogue, diagnostics } = loadCatalogue(root, parts);
  if (!catalogue || hasErrors(diagnostics)) throw catalogueInvalid(diagnostics.filter(d => d.severity === 'error'));
  return { catalogue, warnings: diagnostics };
}

/** The catalogue did not validate: every problem, not just the first. */
export function catalogueInvalid(diagnostics: readonly Diagnostic[]): PackgateError {
  return new PackgateError('CATALOGUE_INVALID', 'the packgate catalogue has problems', {
    diagnostics,
    hint: 'run `npx packgate lint` to see them all; fix each file:line:col above',
  });
}

/**
 * Reads, parses and validates one file. Undefined only when it cannot be read, is not UTF-8 or is not YAML;
 * otherwise `value` when valid, and always `partial`: the fields that are valid on their own.
 */
function loadFile<S extends z.ZodType>(
  root: string,
  file: string,
  schema: S,
  schemaFile: string,
  diagnostics: Diagnostic[],
  emptyHint = `write its fields: ${schemaFile} lists them`,
): { value?: z.output<S>; partial: Partial<z.output<S>>; source: YamlSource } | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path.join(root, file));
  } catch (error) {
    diagnostics.push(fileProblem(file, 'file-unreadable', unreadable(error), unreadableHint(file, error)));
    return undefined;
  }
  const read = catalogueText(file, bytes);
  if ('problem' in read) {
    diagnostics.push(read.problem);
    return undefined;
  }
  const source = new YamlSource(file, read.text);
  const syntax = source.syntaxDiagnostics();
  diagnostics.push(...syntax);
  if (hasErrors(syntax)) return undefined;
  // Said as what it is, not as the schema's "expected object, got null" of "this field" at 1:1.
  if (source.value() == null) {
    diagnostics.push(
      fileProblem(file, 'file-empty', 'the file is empty: nothing but blank lines or comments', emptyHint),
    );
    return { partial: {}, source };
  }
  const { value, diagnostics: problems } = validateSource(source, schema, schemaFile);
  diagnostics.push(...problems);
  return { value, partial: value ?? (lenientParse(schema, source.value()) as Partial<z.output<S>>), source };
}

/**
 * The pack's test manifest, checked against its specs: a list for every spec a layer runs, none for
 * one no layer runs. Whether the titles are current is `packgate tests`'s job (it needs
 * Playwright to list them). Its problems are warnings: `packgate tests --update` runs Playwright on
 * this very catalogue, so a stale manifest must not stop it; the gate blocks a release stage on a pack
 * without a valid one.
 */
function loadTestManifest(
  root: string,
  packDir: string,
  pack: Partial<Pack>,
  specFiles: readonly string[],
  out: Diagnostic[],
): Located<TestManifest> | undefined {
  // A pack.yaml whose layers did not validate says nothing of which specs run: its own error comes first.
  if (!pack.specs) return undefined;
  const diagnostics: Diagnostic[] = [];
  // The specs a layer runs that exist (a missing one is lint's missing-spec).
  const run = specsRun({ specs: pack.specs }).filter(spec => specFiles.includes(`${packDir}/${spec}`));
  const manifest = readTestManifest(root, packDir, run, diagnostics);
  out.push(...diagnostics.map(d => ({ ...d, severity: 'warning' as const })));
  return manifest;
}

function readTestManifest(
  root: string,
  packDir: string,
  run: readonly string[],
  diagnostics: Diagnostic[],
): Located<TestManifest> | undefined {
  const file = `${packDir}/${TEST_MANIFEST_FILE}`;
  const update = 'run `npx packgate tests --update` and commit the result';
  if (!fs.existsSync(path.join(root, file))) {
    if (run.length)
      diagnostics.push(
        fileProblem(
          file,
          'tests-manifest-missing',
          `${packDir}/ has specs but no ${TEST_MANIFEST_FILE}: the gate cannot tell a complete run of the pack from part of one`,
          update,
        ),
      );
    return undefined;
  }
  const loaded = loadFile(root, file, testManifestSchema, 'schemas/tests.schema.json', diagnostics, update);
  if (!loaded?.value) return undefined;
  const manifest = loaded.value;
  for (const spec of run)
    if (!manifest[spec])
      diagnostics.push(
        fileProblem(file, 'tests-manifest-stale', `lists no tests of ${spec}, which pack.yaml runs`, update),
      );
  for (const spec of Object.keys(manifest))
    if (!run.includes(spec))
      diagnostics.push(
        at(
          loaded.source,
          [spec],
          'tests-manifest-stale',
          `lists tests of ${spec}, but pack.yaml runs no such spec at any layer`,
          // The spec still there: pack.yaml most likely lost it (a misspelt name under layers:), and
          // an update would drop its tests from the manifest instead.
          fs.existsSync(path.join(root, packDir, spec))
            ? `${spec} is still beside pack.yaml: name it under layers: in ${packDir}/pack.yaml; if it is no longer the pack's, delete it and ${update}`
            : update,
        ),
      );
  return { value: manifest, source: loaded.source };
}

/** Every spec file beside pack.yaml, relative to the root, whether or not a layer runs it. */
function findSpecFiles(root: string, packDir: string): string[] {
  return fs
    .readdirSync(path.join(root, packDir))
    .filter(isSpecFile)
    .sort()
    .map(entry => `${packDir}/${entry}`);
}

/** The folders of the catalogue, by their field in packgate.yaml. */
const FOLDER_FIELDS = {
  packs_dir: 'the packs',
  environments_dir: 'the environment descriptors',
  seeds_dir: 'the seed sets',
} as const;

/**
 * The folders packgate.yaml names that are not there (a typo, `environments_dir: env`): each said at
 * its field, with the folder it was likely meant to be. Without it the catalogue read as empty there,
 * so lint said "catalogue ok: ... 0 environments" and a gate ran nowhere. A folder left at its default
 * may be absent (a project that has no seed sets yet).
 */
function missingFolders(
  root: string,
  source: YamlSource,
  withPacks: boolean,
): { diagnostics: Diagnostic[]; fields: Set<string> } {
  const written = source.value() as Record<string, unknown>;
  const diagnostics: Diagnostic[] = [];
  const fields = new Set<string>();
  for (const [field, holds] of Object.entries(FOLDER_FIELDS)) {
    const dir = written[field];
    if (typeof dir !== 'string' || (field === 'packs_dir' && !withPacks)) continue;
    const full = path.join(root, dir);
    if (isFolder(full)) continue;
    fields.add(field);
    const folders = fs
      .readdirSync(root, { withFileTypes: true })
      .filter(e => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
      .map(e => e.name);
    const file = fs.existsSync(full);
    diagnostics.push(
      at(
        source,
        [field],
        'folder-missing',
        `${file ? `"${dir}" is a file, not a folder` : `folder "${dir}" does not exist`}: the catalogue has none of ${holds}`,
        didYouMean(dir.replace(/\/+$/, ''), folders) ??
          `${file ? 'name a folder' : `create ${dir}/`}, or point ${field} at the folder that holds ${holds}`,
      ),
    );
  }
  return { diagnostics, fields };
}

function listDirs(root: string, dir: string): string[] {
  const full = path.join(root, dir);
  if (!isFolder(full)) return [];
  return fs
    .readdirSync(full, { withFileTypes: true })
    .filter(e => e.isDirectory() && !e.name.startsWith('.'))
    .map(e => e.name)
    .sort();
}

function listYaml(root: string, dir: string): string[] {
  const full = path.join(root, dir);
  if (!isFolder(full)) return [];
  return fs
    .readdirSync(full)
    .filter(f => f.endsWith('.yaml'))
    .map(f => f.slice(0, -'.yaml'.length))
    .sort();
}

/**
 * `environments/acme.yml`: written as many tools' files are (docker-compose.yml, CI workflows), but
 * packgate reads `*.yaml` only, so lint said "catalogue ok" while the environment did not exist and
 * `--project=acme-remote` said it was unknown. An error where the file is, saying what to rename it to.
 */
function unreadExtensions(root: string, dir: string, what: string): Diagnostic[] {
  const full = path.join(root, dir);
  if (!isFolder(full)) return [];
  return fs
    .readdirSync(full)
    .filter(f => f.endsWith('.yml'))
    .sort()
    .map(f => {
      const yaml = `${f.slice(0, -'.yml'.length)}.yaml`;
      const taken = fs.existsSync(path.join(full, yaml));
      return fileProblem(
        `${dir}/${f}`,
        'yml-extension',
        `${dir}/${f} is not read: packgate reads ${what} files named *.yaml`,
        taken
          ? `${dir}/${yaml} is the ${what} packgate reads: move what ${f} adds there, and remove ${f}`
          : `rename it to ${dir}/${yaml}`,
      );
    });
}

/** Whether `full` is a folder (a file by the name is not: a folder of the catalogue is listed, never read). */
function isFolder(full: string): boolean {
  return fs.statSync(full, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/**
 * What to do about a catalogue file that cannot be read. A folder by a file's name (a pack folder's
 * pack.yaml, an environments/*.yaml) is listed as that file, and stays unread until it goes.
 */
function unreadableHint(file: string, error: unknown): string {
  const { code } = error as NodeJS.ErrnoException;
  if (code === 'EISDIR')
    return `packgate reads ${file} as a file: remove or rename the folder, and write the file if it belongs there`;
  if (code === 'EACCES' || code === 'EPERM') return `let the user running packgate read ${file} (chmod a+r ${file})`;
  return 'check the file exists and is readable';
}

function fileProblem(file: string, rule: string, message: string, hint: string): Diagnostic {
  return { severity: 'error', rule, file, line: 1, col: 1, path: '', message, hint };
}
