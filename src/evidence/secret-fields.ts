import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { at, type YamlSource } from '../diagnostics/yaml-source.ts';
import { createRedactor } from './redact.ts';

const redactPatterns = createRedactor([]);

/** Whether a text holds something that looks like a credential, whatever its value. */
export function looksLikeCredential(text: string): boolean {
  return redactPatterns(text) !== text;
}

/** What is said of such a value, after its field or file. */
export const LOOKS_LIKE_CREDENTIAL = 'looks like it holds a secret (a token, password, cookie or OAuth code)';

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
    return !looksLikeCredential(value)
      ? []
      : [at(source, fieldPath, problem.rule, LOOKS_LIKE_CREDENTIAL, problem.hint)];
  if (Array.isArray(value))
    return value.flatMap((item, i) => secretFieldDiagnostics(source, item, problem, [...fieldPath, i]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => secretFieldDiagnostics(source, v, problem, [...fieldPath, k]));
  return [];
}
