import { REDACTED } from './redacted.ts';

/**
 * Masks what a person typed into a secret field, whatever its value, in Playwright traces:
 * - DOM snapshots record an input's current value as `__playwright_value_` (and its `value`
 *   attribute when the page set one) on the node `["INPUT", {attributes}, ...]`; a password input's
 *   value is masked whether or not anyone told the redactor the password;
 * - fill and type actions on a field whose selector names a secret (`#password`, `getByLabel('PIN')`)
 *   record the typed text as a parameter, in the call's log (`fill("...")`) and, in the test's
 *   steps, in the title (`Fill "..."`);
 * - page snapshots (error-context.md, an aria snapshot in an error) show every field's value, a
 *   password input's too, as `- textbox "Password" [ref=e5]: ...`: masked when the field's name says secret.
 */

/** A selector or locator of a field that takes a secret. */
const SECRET_FIELD = /pass(?:word|wd|code|phrase)?|secret|token|otp\b|\bpin\b|api[-_ ]?key|credential|cvc|cvv/i;

/** Trace lines worth parsing: they hold a snapshot with input values, or a typing action. */
const WORTH_PARSING = /"__playwright_value_"|"(?:fill|type|pressSequentially|pw:api)"|"method":"fill"/;

/**
 * A text field's line in an aria snapshot, its name and its value: `- textbox "PIN" [active] [ref=e7]: 4821`.
 * The snapshot says nothing of the input's type, so the name (its label) is all that tells a secret.
 */
const ARIA_TEXTBOX = /^([ \t]*- textbox "((?:[^"\\\n]|\\.)*)"(?: \[[^\]\n]*\])*: )(.+)$/gm;

export function maskSecretInputs(text: string): string {
  const aria = text.includes('- textbox "');
  if (!aria && !WORTH_PARSING.test(text) && !/<input/i.test(text)) return text;
  let out = text;
  if (aria)
    out = out.replace(ARIA_TEXTBOX, (line, head: string, name: string, value: string) =>
      SECRET_FIELD.test(name) && value !== REDACTED ? `${head}${REDACTED}` : line,
    );
  if (WORTH_PARSING.test(out)) {
    // The calls that typed into a secret field, by callId: their log lines come after them.
    const secretCalls = new Set<string>();
    out = out
      .split('\n')
      .map(line => maskTraceLine(line, secretCalls))
      .join('\n');
  }
  if (/<input/i.test(out)) out = out.replace(/<input\b[^>]*>/gi, maskHtmlInput);
  return out;
}

/**
 * One line of a trace (JSON lines): parsed and walked; a line that is not JSON gets the text fallback.
 * A typing call into a secret field is remembered in `secretCalls`, and the log lines of that call
 * (`{"type":"log","callId":...,"message":"  fill(\"...\")"}`) lose the text they quote.
 */
function maskTraceLine(line: string, secretCalls: Set<string>): string {
  const log = secretCalls.size > 0 && line.includes('"log"');
  if (!log && !WORTH_PARSING.test(line)) return line;
  const start = line.indexOf('{');
  if (start === -1) return maskByText(line);
  let event: unknown;
  try {
    event = JSON.parse(line.slice(start));
  } catch {
    return maskByText(line);
  }
  if (isPlainObject(event) && typeof event.callId === 'string') {
    if (typesIntoSecretField(event)) secretCalls.add(event.callId);
    else if (event.type === 'log' && secretCalls.has(event.callId) && typeof event.message === 'string') {
      const message = event.message.replace(/^(\s*\w+\()"(?:[^"\\]|\\.)*"(\)\s*)$/, `$1"${REDACTED}"$2`);
      if (message === event.message) return line;
      event.message = message;
      return line.slice(0, start) + JSON.stringify(event);
    }
  }
  return walk(event) ? line.slice(0, start) + JSON.stringify(event) : line;
}

/**
 * Masks a test step that typed into a secret field, in place, as the reporter API hands it over
 * (`{ title: 'Fill "..."', subtitle: "getByLabel('PIN')", params: { locator, value } }`): for the
 * reporters that copy step titles (Allure, the HTML report, blob), called before they see the step.
 */
export function maskSecretStep(step: { title: string; subtitle?: string; params?: Record<string, unknown> }): void {
  maskTypingAction(step as unknown as Record<string, unknown>);
}

/** Masks in place; returns whether anything changed. */
function walk(node: unknown): boolean {
  if (Array.isArray(node)) {
    let changed = false;
    if (typeof node[0] === 'string' && isPlainObject(node[1]) && isSecretInput(node[0], node[1]))
      changed = maskAttributes(node[1]) || changed;
    for (const child of node) changed = walk(child) || changed;
    return changed;
  }
  if (!isPlainObject(node)) return false;
  let changed = maskTypingAction(node);
  for (const value of Object.values(node)) changed = walk(value) || changed;
  return changed;
}

function isSecretInput(tag: string, attributes: Record<string, unknown>): boolean {
  if (tag.toUpperCase() !== 'INPUT') return false;
  const attr = (name: string) =>
    String(Object.entries(attributes).find(([key]) => key.toLowerCase() === name)?.[1] ?? '').toLowerCase();
  // type=password, or a field the page marks as a password while showing it as text (a show-password toggle).
  return attr('type') === 'password' || /password/.test(attr('autocomplete'));
}

function maskAttributes(attributes: Record<string, unknown>): boolean {
  let changed = false;
  for (const key of Object.keys(attributes))
    if (/^(?:__playwright_value_|value)$/i.test(key) && attributes[key] !== '' && attributes[key] !== REDACTED) {
      attributes[key] = REDACTED;
      changed = true;
    }
  return changed;
}

/** `{"method":"fill","params":{"selector":"#password","value":"..."}}` and the test step `Fill "..."`. */
function maskTypingAction(event: Record<string, unknown>): boolean {
  const params = event.params;
  if (!isPlainObject(params) || !typesIntoSecretField(event)) return false;
  let changed = false;
  for (const key of ['value', 'text'])
    if (typeof params[key] === 'string' && params[key] !== '' && params[key] !== REDACTED) {
      params[key] = REDACTED;
      changed = true;
    }
  if (typeof event.title === 'string' && /^(?:fill|type|press sequentially)\b/i.test(event.title)) {
    const title = event.title.replace(/^(\w+(?: \w+)?) .*$/s, `$1 "${REDACTED}"`);
    changed = changed || title !== event.title;
    event.title = title;
  }
  return changed;
}

/** An action (trace event or test step) whose target, its selector or locator, names a secret field. */
function typesIntoSecretField(event: Record<string, unknown>): boolean {
  const params = event.params;
  if (!isPlainObject(params)) return false;
  return SECRET_FIELD.test(
    [params.selector, params.locator, event.subtitle].filter(t => typeof t === 'string').join(' '),
  );
}

/** Fallback for text that is not one JSON value per line: attribute objects of password inputs. */
function maskByText(text: string): string {
  return text.replace(/\{[^{}]*"type"\s*:\s*"password"[^{}]*\}/gi, attributes =>
    attributes.replace(/("(?:__playwright_value_|value)"\s*:\s*")(?:[^"\\]|\\.)*/gi, `$1${REDACTED}`),
  );
}

/** `<input type="password" value="...">` in HTML a server rendered (a page echoing a form back). */
function maskHtmlInput(tag: string): string {
  if (!/\btype\s*=\s*["']?password\b/i.test(tag) && !/\bautocomplete\s*=\s*["']?[^"'>]*password/i.test(tag)) return tag;
  return tag.replace(/(\bvalue\s*=\s*)(?:"[^"]*"|'[^']*'|[^\s>]+)/gi, `$1"${REDACTED}"`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}
