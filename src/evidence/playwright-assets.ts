import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Text Playwright ships and copies into its reports unchanged: the HTML report's app (inlined into
 * its index.html) and the trace viewer. It holds nothing of the run, and the credential patterns
 * would break its minified JavaScript (`document.cookie=...` looks like a cookie header), so the
 * redactor leaves exactly these texts alone; any other text, or one changed by a byte, is redacted.
 */
let known: Set<string> | undefined;

export function isPlaywrightAsset(text: string): boolean {
  known ??= shippedTexts();
  return known.size > 0 && known.has(digest(text));
}

function shippedTexts(): Set<string> {
  const digests = new Set<string>();
  let vite: string;
  try {
    vite = path.join(path.dirname(createRequire(import.meta.url).resolve('playwright-core')), 'lib', 'vite');
  } catch {
    return digests;
  }
  const read = (file: string) => fs.readFileSync(path.join(vite, file), 'utf8');
  try {
    for (const file of fs.readdirSync(vite, { recursive: true }).map(String))
      if (fs.statSync(path.join(vite, file)).isFile()) digests.add(digest(read(file)));
    // The HTML report's index.html as its reporter writes it: the app with its script and styles
    // inlined, then the report's data, embedded as a base64 zip in this template element.
    const app = read('htmlReport/index.html')
      .replace(
        /<script type="module"[^>]*><\/script>/,
        () => `<script type="module">${read('htmlReport/report.js')}</script>`,
      )
      .replace(/<link rel="stylesheet"[^>]*>/, () => `<style type='text/css'>${read('htmlReport/report.css')}</style>`);
    digests.add(digest(`${app}<template id="playwrightReportBase64">`));
  } catch {
    // A Playwright laid out otherwise: nothing is known, so everything is redacted.
  }
  return digests;
}

function digest(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}
