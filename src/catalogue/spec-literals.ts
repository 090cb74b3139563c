import type { Diagnostic } from '../diagnostics/diagnostic.ts';

/**
 * Literals a pack's code must not hold, because they differ per deployment and belong in the
 * environment descriptor (URLs, hosts, ports, credentials) or in pack.yaml's `selectors:` (which
 * environments can override). A spec that holds one runs against one deployment only.
 */
const RULES: Array<{ pattern: RegExp; what: string; hint: string }> = [
  {
    pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"`]+/i,
    what: 'a URL',
    hint: 'build it from the environment: urls.app(...), urls.api(...), pack.url(name), env.oidc.redirectUri',
  },
  {
    pattern: /\b(localhost|\d{1,3}(\.\d{1,3}){3})(:\d{2,5})?\b|:\d{4,5}\b/,
    what: 'a host or port',
    hint: 'hosts and ports belong in the environment descriptor; use urls.* or env.urls',
  },
  {
    pattern: /data-testid|^#[a-z][\w-]*$|^\[[a-z-]+[=\]]/i,
    what: 'a selector',
    hint: "name it under selectors: in pack.yaml and use pack.selector('name'), so an environment can override it",
  },
];

/** Calls whose string argument is a selector, whatever it looks like. */
const SELECTOR_CALL = /\b(locator|getByTestId|\$\$?|waitForSelector|querySelector(All)?)\(\s*$/;

/** Object keys and variables whose string value is a credential. */
const CREDENTIAL_NAME = /\b(password|passwd|secret|token|api[_-]?key|client[_-]?secret)['"`]?\s*[:=]\s*$/i;

/** Checks one pack source file; `file` is relative to the project root. */
export function checkSpecLiterals(file: string, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const literal of stringLiterals(text)) {
    const before = text.slice(0, literal.start);
    const line = before.split('\n').length;
    const col = literal.start - before.lastIndexOf('\n');
    const at = { severity: 'error' as const, rule: 'spec-literal', file, line, col, path: '' };
    const lead = before.slice(Math.max(0, before.length - 60));
    if (CREDENTIAL_NAME.test(lead) && literal.value.length > 0) {
      out.push({
        ...at,
        message: 'a credential literal in a pack',
        hint: 'secrets come from the environment: env.secrets.get(name), or the session fixtures',
      });
      continue;
    }
    if (SELECTOR_CALL.test(lead)) {
      out.push({ ...at, message: `a selector literal ${quote(literal.value)}`, hint: RULES[2].hint });
      continue;
    }
    const rule = RULES.find(r => r.pattern.test(literal.value));
    if (rule) out.push({ ...at, message: `${rule.what} literal ${quote(literal.value)}`, hint: rule.hint });
  }
  return out;
}

function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

/**
 * The string and template literals of TypeScript source, with comments skipped (a URL in a comment
 * citing an RFC is fine). Template literals are taken whole, placeholders included.
 */
export function stringLiterals(text: string): Array<{ start: number; value: string }> {
  const found: Array<{ start: number; value: string }> = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      i = text.indexOf('\n', i);
      if (i === -1) break;
    } else if (c === '/' && next === '*') {
      i = text.indexOf('*/', i + 2);
      if (i === -1) break;
      i += 2;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      found.push({ start: i, value: text.slice(i + 1, j) });
      i = j + 1;
    } else {
      i++;
    }
  }
  return found;
}
