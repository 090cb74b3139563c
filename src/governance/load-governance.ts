import fs from 'node:fs';
import path from 'node:path';
import type { Located } from '../catalogue/load.ts';
import { at, YamlSource } from '../diagnostics/yaml-source.ts';
import { suggest } from '../diagnostics/nearest.ts';
import { validateSource } from '../diagnostics/zod-diagnostics.ts';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { governanceSchema, type Governance } from './governance-schema.ts';
import type { ProjectManifest } from '../schema/project.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import { summarizeDiagnostics } from '../diagnostics/format.ts';

export const DEFAULT_GOVERNANCE_FILE = 'governance.yaml';

/**
 * governance.yaml (or the file packgate.yaml's `governance:` names). A project without one has no
 * lanes: packets can be written by hand but `owner_lane` cannot be checked, and says so.
 */
export function loadGovernance(
  root: string,
  manifest: ProjectManifest,
): { governance?: Located<Governance>; file: string; diagnostics: Diagnostic[] } {
  const file = manifest.governance ?? DEFAULT_GOVERNANCE_FILE;
  const full = path.join(root, file);
  if (!fs.existsSync(full)) {
    if (!manifest.governance) return { file, diagnostics: [] };
    return {
      file,
      diagnostics: [
        {
          severity: 'error',
          rule: 'governance-missing',
          file: 'packgate.yaml',
          line: 1,
          col: 1,
          path: 'governance',
          message: `governance file ${file} does not exist`,
          hint: 'create it (see schemas/governance.schema.json) or remove "governance:" from packgate.yaml',
        },
      ],
    };
  }
  const source = new YamlSource(file, fs.readFileSync(full, 'utf8'));
  const syntax = source.syntaxDiagnostics();
  if (hasErrors(syntax)) return { file, diagnostics: syntax };
  const { value, diagnostics } = validateSource(source, governanceSchema, 'schemas/governance.schema.json');
  const lanes = value ? unknownRouteLanes(source, value) : [];
  return {
    governance: value && !lanes.length ? { value, source } : undefined,
    file,
    diagnostics: [...syntax, ...diagnostics, ...lanes],
  };
}

/** A review route to a lane governance.yaml does not define would route reviews to nobody. */
function unknownRouteLanes(source: YamlSource, governance: Governance): Diagnostic[] {
  const known = Object.keys(governance.lanes);
  return governance.review.routes.flatMap((route, i) =>
    known.includes(route.lane)
      ? []
      : [
          at(
            source,
            ['review', 'routes', i, 'lane'],
            'unknown-lane',
            `review route to lane "${route.lane}", which is not one of the lanes`,
            suggest(route.lane, known, 'lanes'),
          ),
        ],
  );
}

/** The governance, or GOVERNANCE_INVALID with every problem in it. */
export function loadGovernanceOrThrow(root: string, manifest: ProjectManifest): Located<Governance> | undefined {
  const { governance, file, diagnostics } = loadGovernance(root, manifest);
  if (hasErrors(diagnostics)) {
    const errors = diagnostics.filter(d => d.severity === 'error');
    throw new PackgateError('GOVERNANCE_INVALID', `${file} has problems (${summarizeDiagnostics(errors)})`, {
      diagnostics: errors,
      hint: `fix each file:line:col above; schemas/governance.schema.json describes the file`,
    });
  }
  return governance;
}
