import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Text Playwright ships and copies into its reports unchanged: the HTML report's app (inlined into
 * its index.html) and the trace viewer. It holds nothing of the run, and the credential patterns
 * would break its minified JavaScript (`document.cookie=...` looks like a cookie header), so the
 * redactor leaves exactly these texts alone; any other text, or one changed by a byte, is redacted.
 *
 * Every text of a run's artifacts is asked about, and reading and hashing the 4 MB Playwright ships
 * cost more than the question, so the sizes come first (from the files' stats) and the digests
 * only once a text has the size of one of them.
 */
let shipped: Shipped | undefined;
let known: Set<string> | undefined;

type Shipped = { sizes: Set<number>; texts: () => string[] };

export function isPlaywrightAsset(text: string): boolean {
  shipped ??= shippedAssets();
  if (!shipped.sizes.has(Buffer.byteLength(text))) return false;
  known ??= new Set(shipped.texts().map(digest));
  return known.has(digest(text));
}

function shippedAssets(): Shipped {
  const none: Shipped = { sizes: new Set(), texts: () => [] };
  let vite: string;
  try {
    vite = path.join(path.dirname(createRequire(import.meta.url).resolve('playwright-core')), 'lib', 'vite');
  } catch {
    return none;
  }
  const read = (file: string) => fs.readFileSync(path.join(vite, file), 'utf8');
  try {
    const files = fs
      .readdirSync(vite, { recursive: true })
      .map(String)
      .filter(file => fs.statSync(path.join(vite, file)).isFile());
    // The HTML report's index.html as its reporter writes it: the app with its script and styles
    // inlined, then the report's data, embedded as a base64 zip in this template element.
    const app = () =>
      read('htmlReport/index.html')
        .replace(
          /<script type="module"[^>]*><\/script>/,
          () => `<script type="module">${read('htmlReport/report.js')}</script>`,
        )
        .replace(
          /<link rel="stylesheet"[^>]*>/,
          () => `<style type='text/css'>${read('htmlReport/report.css')}</style>`,
        ) + '<template id="playwrightReportBase64">';
    const texts = () => [...files.map(read), app()];
    const sizes = new Set(files.map(file => fs.statSync(path.join(vite, file)).size));
    // The inlined app's size is known only by building it: a few hundred KB, read once per process.
    sizes.add(Buffer.byteLength(app()));
    return { sizes, texts };
  } catch {
    // A Playwright laid out otherwise: nothing is known, so everything is redacted.
    return none;
  }
}

function digest(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}
