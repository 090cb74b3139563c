import fs from 'node:fs';
import path from 'node:path';
import { gzipSync, strToU8, zipSync } from 'fflate';
import { expect, test } from '@playwright/test';
import { ENCODINGS, needlesOf, scanForSecrets, type Encoding } from '../../src/evidence/scan.ts';
import { SECRET_KINDS } from '../helpers/secret-kinds.ts';

/** A value per kind with the characters every encoding changes (space, quote, slash, ?, >, ~, non-ASCII). */
const secretOf = (kind: string) => ({ kind, value: `${kind} "??>>~~/ü" ${kind.length}x${kind}` });

function encode(value: string, encoding: Encoding, variant: number): string {
  const bytes = Buffer.from(value, 'utf8');
  switch (encoding) {
    case 'raw':
      return value;
    case 'url':
      // Both forms: %20 in a URL, + in a form body.
      return variant % 2 ? encodeURIComponent(value) : new URLSearchParams({ v: value }).toString().slice(2);
    case 'json':
      return JSON.stringify(value).slice(1, -1);
    case 'base64':
      // Behind a prefix too, as in HTTP Basic, so each byte offset is exercised.
      return Buffer.concat([Buffer.from('id:'.slice(0, variant % 3)), bytes]).toString('base64');
    case 'base64url':
      return Buffer.concat([Buffer.from('id:'.slice(0, variant % 3)), bytes]).toString('base64url');
  }
}

test('the scanner finds each of 7 kinds in 5 encodings, planted in files, nested zips and an HTML report: 35 hits', ({}, testInfo) => {
  const dir = testInfo.outputPath('artifacts');
  const secrets = SECRET_KINDS.map(secretOf);
  // Every encoding of a value differs from the others, so each planted form is found under its own name.
  for (const secret of secrets)
    expect(
      new Set(needlesOf(secret).map(n => n.encoding)),
      `${secret.kind}: all five encodings are distinct forms`,
    ).toEqual(new Set(ENCODINGS));

  const planted: Array<{ kind: string; encoding: Encoding; where: string }> = [];
  const text = (kind: string, encoding: Encoding, i: number) =>
    `{"event":"planted","n":${i},"data":"..${encode(secretOf(kind).value, encoding, i)}.."}\n`;
  let i = 0;
  const files: Record<string, string | Uint8Array> = {};
  const inner: Record<string, Uint8Array> = {};
  const deepest: Record<string, Uint8Array> = {};
  const reportData: Record<string, Uint8Array> = {};
  for (const kind of SECRET_KINDS)
    for (const encoding of ENCODINGS) {
      const body = text(kind, encoding, i);
      // Spread over: plain files, a trace zip, a zip in that zip (named by hash, no extension), a zip
      // three deep, a gzip file, and the base64 zip an HTML report embeds.
      switch (i % 6) {
        case 0:
          files[`test-results/t${i}/error-context.md`] = body;
          planted.push({ kind, encoding, where: `test-results/t${i}/error-context.md` });
          break;
        case 1:
          inner[`resources/${i}.dat`] = strToU8(body);
          planted.push({ kind, encoding, where: `gate-results/trace.zip!resources/${i}.dat` });
          break;
        case 2:
          inner[`attachments/nested-${i}`] = zipSync({ [`${i}.trace`]: strToU8(body) });
          planted.push({ kind, encoding, where: `gate-results/trace.zip!attachments/nested-${i}!${i}.trace` });
          break;
        case 3:
          deepest[`${i}.network`] = strToU8(body);
          planted.push({ kind, encoding, where: `gate-results/trace.zip!attachments/deep!level-2!${i}.network` });
          break;
        case 4:
          files[`test-results/t${i}/log.gz`] = gzipSync(strToU8(body));
          planted.push({ kind, encoding, where: `test-results/t${i}/log.gz!gunzip` });
          break;
        case 5:
          reportData[`${i}.json`] = strToU8(body);
          planted.push({ kind, encoding, where: `playwright-report/index.html!data-url@!${i}.json` });
          break;
      }
      i++;
    }
  inner['attachments/deep'] = zipSync({ 'level-2': zipSync(deepest) });
  files['gate-results/trace.zip'] = zipSync(inner);
  const reportZip = Buffer.from(zipSync(reportData)).toString('base64');
  files['playwright-report/index.html'] =
    `<html><script>app()</script><template id="playwrightReportBase64">data:application/zip;base64,${reportZip}</template>`;
  files['test-results/clean.txt'] = 'nothing secret here';
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }

  const { hits, unreadable } = scanForSecrets(dir, secrets);
  expect(unreadable).toEqual([]);
  expect(hits).toHaveLength(35);
  const normalize = (where: string) => where.replace(/data-url@\d+/, 'data-url@');
  expect(hits.map(h => ({ kind: h.kind, encoding: h.encoding, where: normalize(h.path) })).sort(byKey)).toEqual(
    [...planted].sort(byKey),
  );
});

test('the scanner says what it could not open instead of passing it', ({}, testInfo) => {
  const dir = testInfo.outputPath('artifacts');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'broken.zip'), 'PK\u0003\u0004 not a zip');
  const result = scanForSecrets(dir, [secretOf('password')]);
  expect(result.unreadable).toEqual([expect.stringMatching(/^broken\.zip: /)]);
});

function byKey(a: { kind: string; encoding: string }, b: { kind: string; encoding: string }): number {
  return `${a.kind}/${a.encoding}`.localeCompare(`${b.kind}/${b.encoding}`);
}
