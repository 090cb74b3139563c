import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { createRedactor } from '../../src/evidence/redact.ts';
import type { ManualTarget } from '../../src/manual/manual-target.ts';
import { recordManual, type ManualRecording } from '../../src/manual/record-manual.ts';
import type { QueueStore } from '../../src/store/queue-store.ts';

const target = {
  pack: { id: 'p' },
  check: { id: 'c', valid_for: '1d' },
  environment: 'local',
  env: {},
} as unknown as ManualTarget;

/** A store any use of which fails the test: evidence that cannot be read must record nothing. */
const untouched = new Proxy({} as QueueStore, {
  get: (_, key) => {
    throw new Error(`the store was used (${String(key)}) though the evidence could not be read`);
  },
});

const recording = (source: ManualRecording['source'], files: ManualRecording['files']): ManualRecording => ({
  result: 'pass',
  note: null,
  lane: 'C-ops',
  source,
  files,
  actor: 'alice',
});

// `manual record` checks each file is one before the store opens; this is a file that went, or became
// a folder, between that check and the read (or a session's recording that was never written).
test("evidence that became a folder or went before it was read is said in words, not as Node's EISDIR or ENOENT; nothing recorded", async ({}, testInfo) => {
  const folder = testInfo.outputPath('notes.txt');
  fs.mkdirSync(folder, { recursive: true });
  const redact = createRedactor([]);

  // Before: "evidence .../notes.txt cannot be read: EISDIR: illegal operation on a directory, read".
  await expect(
    recordManual(untouched, target, recording('record', [{ name: 'notes.txt', file: folder }]), redact),
  ).rejects.toMatchObject({
    code: 'INPUT_INVALID',
    message:
      `evidence ${folder}: a folder, not a file; nothing recorded\n` +
      '  hint: name the files in it one by one (--evidence each: a trace, a video, a screenshot, notes)',
  });

  // Before: "evidence .../trace.zip cannot be read: ENOENT: no such file or directory, open '.../trace.zip'".
  const gone = testInfo.outputPath('trace.zip');
  await expect(
    recordManual(untouched, target, recording('run', [{ name: 'trace.zip', file: gone }]), redact),
  ).rejects.toMatchObject({
    code: 'INPUT_INVALID',
    message:
      `evidence ${gone}: no such file; nothing recorded\n` +
      "  hint: the session's recording was lost before it was stored: run the check again",
  });
});

// Before: past 2 GiB, "evidence .../screen.mp4: ERR_FS_FILE_TOO_LARGE" with a hint to name a file
// that exists and can be read (it was both); under it, the file read whole into memory, however large.
test('evidence larger than 1 GiB is refused by its size, before it is read, saying what to give instead; nothing recorded', async ({}, testInfo) => {
  const big = testInfo.outputPath('screen.mp4');
  fs.mkdirSync(path.dirname(big), { recursive: true });
  fs.writeFileSync(big, '');
  fs.truncateSync(big, 2 ** 30 + 1); // sparse: no disk used
  await expect(
    recordManual(untouched, target, recording('record', [{ name: 'screen.mp4', file: big }]), createRedactor([])),
  ).rejects.toMatchObject({
    code: 'INPUT_INVALID',
    message:
      `evidence ${big} is 1073741825 bytes: more than the 1073741824 (1 GiB) a file of evidence may be; nothing recorded\n` +
      '  hint: cut it to the part that shows the check (a shorter video, a screenshot), or split it into files of at most 1 GiB',
  });
});
