import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { at, type YamlSource } from '../diagnostics/yaml-source.ts';
import { createRedactor } from './redact.ts';

const looksSecret = createRedactor([]);

/**
 * Every string field of a document read from YAML that looks like it holds a credential, located:
 * what is stored and shown to others (packets, bug-fix records) must not carry one.
 */
export function secretFieldDiagnostics(
  source: YamlSource,
  value: unknown,
  problem: { rule: string; hint: string },
  fieldPath: Array<string | number> = [],
): Diagnostic[] {
  if (typeof value === 'string')
    return looksSecret(value) === value
      ? []
      : [
          at(
            source,
            fieldPath,
            problem.rule,
            'looks like it holds a secret (a token, password, cookie or OAuth code)',
            problem.hint,
          ),
        ];
  if (Array.isArray(value))
    return value.flatMap((item, i) => secretFieldDiagnostics(source, item, problem, [...fieldPath, i]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => secretFieldDiagnostics(source, v, problem, [...fieldPath, k]));
  return [];
}
