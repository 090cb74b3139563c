import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync, strToU8, unzipSync, zipSync } from 'fflate';
import { expect, test } from '@playwright/test';
import { createRedactor } from '../../src/evidence/redact.ts';
import { redactFileInPlace } from '../../src/evidence/redact-files.ts';
import { scanForSecrets } from '../../src/evidence/scan.ts';
import { ArtifactSweeper } from '../../src/evidence/sweep.ts';

const password = 'Typed-Secret-4711';
const redact = createRedactor([password]);
const secrets = [{ kind: 'password', value: password }];

/** A trace zip shaped like Playwright's: events, a form body, and another trace zip attached inside it. */
function traceWithNestedTrace(): Uint8Array {
  const attachedTrace = zipSync({
    '0-trace.trace': strToU8(
      JSON.stringify({ type: 'before', method: 'fill', params: { selector: '#password', value: password } }),
    ),
    'resources/5f302b.dat': strToU8(`password=${password}&username=ada`),
  });
  return zipSync({
    'test.trace': strToU8('{"type":"stdout","text":"signing in"}'),
    // Named by hash, no extension: found by its content, not its name.
    'attachments/15e215a15b': attachedTrace,
    'attachments/deeper': zipSync({ 'level-2.zip': zipSync({ 'body.json': strToU8(`{"pw":"${password}"}`) }) }),
  });
}

test('zips inside zips are redacted at any depth, found by content', ({}, testInfo) => {
  const file = testInfo.outputPath('attempt-2-trace.zip');
  fs.writeFileSync(file, traceWithNestedTrace());
  const result = redactFileInPlace(file, 'application/zip', redact);
  expect(scanForSecrets(path.dirname(file), secrets).hits).toEqual([]);
  expect(result).toEqual({ changed: true, quarantined: [] });
  const outer = unzipSync(fs.readFileSync(file));
  expect(Object.keys(outer).sort()).toEqual(['attachments/15e215a15b', 'attachments/deeper', 'test.trace']);
  const nested = unzipSync(outer['attachments/15e215a15b']);
  expect(Buffer.from(nested['resources/5f302b.dat']).toString()).toBe('password=[REDACTED]&username=ada');
});

test('an entry that is neither UTF-8 nor known media is dropped from its zip and reported by path', ({}, testInfo) => {
  const file = testInfo.outputPath('trace.zip');
  fs.writeFileSync(
    file,
    zipSync({
      'test.trace': strToU8('{"ok":true}'),
      'resources/latin1.dat': Buffer.from(`caf\xe9 password=${password}`, 'latin1'),
      'resources/shot.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0xd]),
    }),
  );
  const result = redactFileInPlace(file, 'application/zip', redact);
  expect(result.quarantined).toEqual([
    { path: `${file}!resources/latin1.dat`, reason: 'neither UTF-8 text nor a known media type' },
  ]);
  expect(Object.keys(unzipSync(fs.readFileSync(file))).sort()).toEqual(['resources/shot.png', 'test.trace']);
});

test('a corrupt zip is removed whole and reported', ({}, testInfo) => {
  const file = testInfo.outputPath('odd.zip');
  fs.writeFileSync(file, 'PK\u0003\u0004 not really a zip');
  const result = redactFileInPlace(file, 'application/zip', redact);
  expect(result.quarantined).toEqual([{ path: file, reason: expect.stringMatching(/^corrupt zip: /) }]);
  expect(fs.existsSync(file)).toBe(false);
});

test('content decides, not the content type: text sent as octet-stream is redacted, unknown binary quarantined', ({}, testInfo) => {
  const textFile = testInfo.outputPath('body.bin');
  fs.writeFileSync(textFile, `{"password":"${password}"}`);
  expect(redactFileInPlace(textFile, 'application/octet-stream', redact).changed).toBe(true);
  expect(fs.readFileSync(textFile, 'utf8')).toBe('{"password":"[REDACTED]"}');

  const binary = testInfo.outputPath('dump.bin');
  fs.writeFileSync(binary, Buffer.concat([Buffer.from([1, 0, 2, 0]), Buffer.from(password)]));
  expect(redactFileInPlace(binary, 'application/octet-stream', redact).quarantined).toHaveLength(1);
  expect(fs.existsSync(binary)).toBe(false);

  const png = testInfo.outputPath('shot.png');
  fs.writeFileSync(png, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2]));
  expect(redactFileInPlace(png, 'image/png', redact)).toEqual({ changed: false, quarantined: [] });
});

test('gzip and the base64 zip an HTML report embeds are redacted inside', ({}, testInfo) => {
  const dir = testInfo.outputPath('report');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'log.gz'), gzipSync(strToU8(`typed ${password}`)));
  const embedded = Buffer.from(zipSync({ 'report.json': strToU8(`{"error":"Fill \\"${password}\\""}`) })).toString(
    'base64',
  );
  const html = `<html><body><script>x()</script><template id="playwrightReportBase64">data:application/zip;base64,${embedded}</template></body></html>`;
  fs.writeFileSync(path.join(dir, 'index.html'), html);
  expect(scanForSecrets(dir, secrets).hits).toHaveLength(2);
  for (const name of ['log.gz', 'index.html']) redactFileInPlace(path.join(dir, name), undefined, redact);
  expect(scanForSecrets(dir, secrets)).toMatchObject({ hits: [], unreadable: [] });
  expect(fs.readFileSync(path.join(dir, 'index.html'), 'utf8')).toMatch(
    /^<html><body><script>x\(\)<\/script><template id="playwrightReportBase64">data:application\/zip;base64,UEsDB[A-Za-z0-9+/=]+<\/template><\/body><\/html>$/,
  );
});

test('the sweeper reports paths from the root, leaves what Playwright ships alone, and never sweeps the project', ({}, testInfo) => {
  const root = testInfo.outputPath('project');
  const results = path.join(root, 'test-results');
  fs.mkdirSync(path.join(results, 'a'), { recursive: true });
  fs.writeFileSync(path.join(results, 'a', 'error-context.md'), `page url: http://app/cb?code=q1w2e3r4&state=z9`);
  fs.writeFileSync(path.join(results, 'a', 'odd.zip'), 'PK\u0003\u0004 broken');
  // The trace viewer Playwright copies into an HTML report: parts of its minified code look like credentials.
  const viewer = path.join(
    path.dirname(createRequire(import.meta.url).resolve('playwright-core')),
    'lib/vite/traceViewer',
  );
  const shipped = fs.readdirSync(path.join(viewer, 'assets')).find(f => {
    const code = fs.readFileSync(path.join(viewer, 'assets', f), 'utf8');
    return redact(code) !== code;
  });
  expect(shipped, 'a trace viewer asset the redactor would change').toBeTruthy();
  const report = path.join(root, 'playwright-report', 'trace', 'assets');
  fs.mkdirSync(report, { recursive: true });
  fs.copyFileSync(path.join(viewer, 'assets', shipped!), path.join(report, shipped!));

  const sweeper = new ArtifactSweeper(redact, root);
  const first = sweeper.sweep([results, path.join(root, 'playwright-report'), root, path.join(root, 'missing')]);
  expect(first.changed).toEqual([path.join('test-results', 'a', 'error-context.md')]);
  expect(first.quarantined).toEqual([
    { path: path.join('test-results', 'a', 'odd.zip'), reason: expect.stringMatching(/^corrupt zip/) },
  ]);
  expect(first.refused).toEqual([expect.stringContaining('holds the project itself')]);
  expect(fs.readFileSync(path.join(report, shipped!))).toEqual(fs.readFileSync(path.join(viewer, 'assets', shipped!)));
  expect(fs.readFileSync(path.join(results, 'a', 'error-context.md'), 'utf8')).toBe(
    'page url: http://app/cb?code=[REDACTED]&state=[REDACTED]',
  );
  // A second sweep (after reporters that write last) reads only what is new or changed.
  fs.writeFileSync(path.join(results, 'a', 'late.md'), `late ${password}`);
  expect(sweeper.sweep([results]).changed).toEqual([path.join('test-results', 'a', 'late.md')]);
});
