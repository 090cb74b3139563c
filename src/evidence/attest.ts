import { createHash, sign, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PackgateError } from '../diagnostics/errors.ts';
import { checkoutOf, type Checkout } from '../git/git.ts';
import {
  DSSE_PAYLOAD_TYPE,
  packEvidenceRecordSchema,
  STATEMENT_TYPE,
  TEST_RESULT_PREDICATE_TYPE,
  testResultStatementSchema,
  type DsseEnvelope,
  type PackEvidenceRecord,
  type ResourceDescriptor,
  type TestResult,
  type TestResultStatement,
} from '../schema/attestation.ts';
import { verdictFileSchema, type PackVerdict, type RunVerdict, type VerdictFile } from '../schema/verdict.ts';
import { ATTEST_KEY_VAR, keyId, loadSigningKey } from './keys.ts';
import { readJsonFile } from './read-json.ts';
import { isFile } from '../fs/is-file.ts';
import { filesUnder } from './files-under.ts';
import { writeFileAtomic } from '../fs/write-file-atomic.ts';
import { ATTESTATION_FILE, REPORT_FILES, UNIT_REPORT_ATTACHMENT } from '../schema/constants.ts';

/** The attestation's name in the output folder. It is never a subject of itself. */
export { ATTESTATION_FILE };

export type AttestOptions = {
  /**
   * How the run was invoked (retries, workers, grep, shard, reporters, ...), recorded as given in
   * the `packgate` configuration entry. Must be JSON. Default: none recorded.
   * @example { retries: 1, workers: 2, grep: '@pack:auth-session', shard: null }
   */
  flags?: Record<string, unknown>;
  /**
   * The git commit the gate ran on (40 or 64 hex digits); `null` records none. Default: HEAD of
   * the repository that tracks the project at `root`, with whether the work tree was dirty.
   */
  commit?: string | null;
  /** The default commit (and dirtiness), when the caller looked it up already, e.g. while the tests ran. */
  checkout?: Checkout;
  /** The project's root folder, where the default commit is looked up. Default: the current directory. */
  root?: string;
  /**
   * The ed25519 key to sign with: a KeyObject, PEM text or the path of a PEM file (PKCS#8).
   * `null` leaves it unsigned. Default: PACKGATE_ATTEST_KEY; unsigned when that is unset.
   */
  key?: KeyObject | string | null;
  /** A link to the run (logs, CI job). Default: the GitHub Actions run when GITHUB_RUN_ID is set. */
  url?: string;
  /** Where PACKGATE_ATTEST_KEY and the GITHUB_* variables are read. Default: process.env. */
  env?: Record<string, string | undefined>;
};

export type AttestResult = {
  /** The attestation file written. */
  file: string;
  /** How many files it covers. */
  subjects: number;
  /** The keyid of the signature, when signed. */
  keyid?: string;
};

/**
 * Attests a finished gate output folder: an in-toto test-result statement over every published
 * file (verdict.json, summary.md, evidence/**), in a DSSE envelope, signed when a key is given,
 * written atomically to `<outputDir>/attestation.intoto.json`. Everything is read back from disk,
 * so calling it again after verdict.json is rewritten attests the new content, and the same folder
 * and options always give the same file. Nothing is written when the key or the folder is bad.
 */
export function attestGateOutput(outputDir: string, options: AttestOptions = {}): AttestResult {
  const env = options.env ?? process.env;
  const keyValue = options.key === undefined ? env[ATTEST_KEY_VAR] || undefined : (options.key ?? undefined);
  const source = options.key === undefined ? ATTEST_KEY_VAR : 'the attestation key';
  const key = keyValue === undefined ? undefined : loadSigningKey(keyValue, source);

  const statement = buildStatement(outputDir, {
    flags: options.flags,
    ...commitOf(options),
    url: options.url ?? ciRunUrl(env),
  });
  const envelope = envelopeOf(Buffer.from(JSON.stringify(statement)), key);

  const file = path.join(outputDir, ATTESTATION_FILE);
  writeFileAtomic(file, JSON.stringify(envelope, null, 2) + '\n');
  return { file, subjects: statement.subject.length, ...(key ? { keyid: keyId(key) } : {}) };
}

/**
 * DSSE's pre-authentication encoding, the bytes a signature covers:
 * `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, lengths in bytes, in decimal.
 */
export function pae(payloadType: string, body: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${body.length} `), body]);
}

/** A DSSE envelope of an in-toto payload, with one ed25519 signature when a key is given. */
export function envelopeOf(payload: Buffer, key?: KeyObject): DsseEnvelope {
  const signatures = key
    ? [{ keyid: keyId(key), sig: sign(null, pae(DSSE_PAYLOAD_TYPE, payload), key).toString('base64') }]
    : [];
  return { payloadType: DSSE_PAYLOAD_TYPE, payload: payload.toString('base64'), signatures };
}

export type StatementInputs = {
  flags?: Record<string, unknown>;
  commit?: string;
  dirty?: boolean;
  url?: string;
};

/** The in-toto statement over an output folder, from its verdict.json and evidence records. */
export function buildStatement(outputDir: string, inputs: StatementInputs = {}): TestResultStatement {
  const verdict = readJsonFile(path.join(outputDir, 'verdict.json'), verdictFileSchema, {
    shown: path.join(outputDir, 'verdict.json'),
    name: 'verdict',
    what: 'a packgate verdict',
    described: 'schemas/verdict.schema.json',
    hint: 'attest a folder the gate has written (verdict.json, summary.md, evidence/)',
  });
  const records = evidenceRecords(outputDir, verdict);
  const tests = testNames(records);
  return testResultStatementSchema.parse({
    _type: STATEMENT_TYPE,
    subject: publishedFiles(outputDir).map(name => ({
      name,
      digest: { sha256: sha256File(path.join(outputDir, name)) },
    })),
    predicateType: TEST_RESULT_PREDICATE_TYPE,
    predicate: {
      result: RESULT[verdict.verdict],
      configuration: [...configuration(verdict, inputs), ...unitReports(outputDir, records)],
      ...(inputs.url ? { url: inputs.url } : {}),
      passedTests: tests.passed,
      warnedTests: tests.warned,
      failedTests: tests.failed,
    },
  });
}

const RESULT: Record<RunVerdict, TestResult> = { PASS: 'PASSED', PASS_WITH_WARNINGS: 'WARNED', BLOCKED: 'FAILED' };

/**
 * What the gate itself writes in its output folder, relative to it with forward slashes, sorted:
 * verdict.json, summary.md and every file under evidence/. The attestation and temp files of an
 * atomic write sit beside verdict.json, so they are never among them. A run's identity in the queue
 * store is these files (src/loop/subject-digest.ts): the gate hands the run over before the reports
 * after it are written.
 */
export function gateFiles(outputDir: string): string[] {
  const files = ['verdict.json', 'summary.md'].filter(name => isFile(path.join(outputDir, name)));
  files.push(...filesIn(outputDir, 'evidence'));
  return files.sort();
}

/**
 * Every file a run publishes in its output folder, sorted: the gate's own (gateFiles) and the
 * reports the run fed, JUnit's XML and the Allure results, written by reporters after the gate's.
 * The Allure report built from those results later is not among them.
 */
export function publishedFiles(outputDir: string): string[] {
  const files = gateFiles(outputDir);
  if (isFile(path.join(outputDir, REPORT_FILES.junit))) files.push(REPORT_FILES.junit);
  files.push(...filesIn(outputDir, REPORT_FILES.allureResults));
  return files.sort();
}

/**
 * The symbolic links where a run publishes files (the places `publishedFiles` reads), relative with
 * forward slashes, sorted: a link in place of a file or a folder, a link to a folder, a dangling one.
 * The gate writes none, so each is a change; what it points at is outside what was attested.
 */
export function publishedLinks(outputDir: string): string[] {
  const isLink = (rel: string) => fs.lstatSync(path.join(outputDir, rel), { throwIfNoEntry: false })?.isSymbolicLink();
  const links = ['verdict.json', 'summary.md', REPORT_FILES.junit].filter(isLink);
  for (const folder of ['evidence', REPORT_FILES.allureResults]) {
    if (isLink(folder)) {
      links.push(folder);
      continue;
    }
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(path.join(outputDir, folder), { recursive: true, withFileTypes: true });
    } catch {
      // No such folder: nothing published there.
    }
    for (const entry of entries)
      if (entry.isSymbolicLink())
        links.push(path.relative(outputDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
  }
  return links.sort();
}

/** The files under `outputDir/folder`, as `folder/...` with forward slashes. */
function filesIn(outputDir: string, folder: string): string[] {
  const dir = path.join(outputDir, folder);
  return filesUnder(dir, { linksToFiles: true }).map(
    file => `${folder}/${path.relative(dir, file).split(path.sep).join('/')}`,
  );
}

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/**
 * Tests by outcome, named `<pack> › <project> › <title>`. A test that failed, or passed only on
 * retry, is failed when its pack blocks the release for that reason and warned when it does not
 * (an advisory pack, flakiness the stage tolerates). Skipped and not-run tests are in no list: the
 * predicate has none for them, and `result` already says whether they blocked.
 */
function testNames(records: ReadonlyArray<{ pack: PackVerdict; record: PackEvidenceRecord }>): {
  passed: string[];
  warned: string[];
  failed: string[];
} {
  const lists = { passed: [] as string[], warned: [] as string[], failed: [] as string[] };
  for (const { pack, record } of records)
    for (const test of record.tests) {
      const list = listOf(test.outcome, pack);
      if (list) lists[list].push(`${pack.id} › ${test.project} › ${test.title}`);
    }
  return lists;
}

/** The evidence record of each pack that has one (inside the folder), beside its verdict. */
function evidenceRecords(
  outputDir: string,
  verdict: VerdictFile,
): Array<{ pack: PackVerdict; record: PackEvidenceRecord }> {
  const out: Array<{ pack: PackVerdict; record: PackEvidenceRecord }> = [];
  for (const pack of verdict.packs) {
    const file = path.resolve(outputDir, pack.evidence.dir, 'evidence.json');
    if (path.relative(outputDir, file).startsWith('..') || !isFile(file)) continue;
    const record = readJsonFile(file, packEvidenceRecordSchema, {
      shown: file,
      name: 'evidence record',
      what: 'an evidence record of the gate',
      described: 'src/gate/write-outputs.ts',
      hint: 'it is written by the gate reporter; run the gate again',
    });
    out.push({ pack, record });
  }
  return out;
}

/**
 * The product-suite reports the unit layer judged, one descriptor per pack with its digest: a policy
 * can ask which report a release relied on. The file is also a subject, so a changed byte fails verify.
 */
function unitReports(
  outputDir: string,
  records: ReadonlyArray<{ pack: PackVerdict; record: PackEvidenceRecord }>,
): ResourceDescriptor[] {
  const files = new Map<string, string>();
  for (const { pack, record } of records)
    for (const test of record.tests)
      for (const a of test.attachments)
        if (a.name === UNIT_REPORT_ATTACHMENT && isFile(path.join(outputDir, a.file))) files.set(a.file, pack.id);
  return [...files].map(([file, pack]) => ({
    name: 'unit-report',
    uri: `packgate:unit-report/${encodeURIComponent(pack)}`,
    digest: { sha256: sha256File(path.join(outputDir, file)) },
    annotations: { file },
  }));
}

function listOf(outcome: string, pack: PackVerdict): 'passed' | 'warned' | 'failed' | undefined {
  if (outcome === 'expected') return 'passed';
  if (outcome === 'unexpected') return pack.blocks ? 'failed' : 'warned';
  if (outcome === 'flaky') return pack.blocks && pack.status === 'FLAKY' ? 'failed' : 'warned';
  return undefined;
}

/**
 * What the run was configured with, as resource descriptors a policy can match: the environment
 * (with its stage), each Playwright project, the git commit, packgate itself with its flags, and the
 * versions of Playwright and Node that ran it.
 */
function configuration(verdict: VerdictFile, inputs: StatementInputs): ResourceDescriptor[] {
  const list: ResourceDescriptor[] = [
    {
      name: 'environment',
      uri: `packgate:environment/${encodeURIComponent(verdict.environment)}`,
      annotations: { stage: verdict.stage, kind: verdict.kind, complete: verdict.complete, faults: verdict.faults },
    },
    ...verdict.projects.map(project => ({ name: 'project', uri: `packgate:project/${encodeURIComponent(project)}` })),
  ];
  if (inputs.commit)
    list.push({
      name: 'commit',
      digest: { gitCommit: inputs.commit },
      ...(inputs.dirty === undefined ? {} : { annotations: { dirty: inputs.dirty } }),
    });
  list.push({
    name: 'packgate',
    uri: `pkg:npm/packgate${PACKGATE_VERSION ? `@${PACKGATE_VERSION}` : ''}`,
    ...(inputs.flags ? { annotations: { flags: inputs.flags } } : {}),
  });
  // The runner and the runtime that produced the results: a verdict is only as reproducible as they are.
  if (PLAYWRIGHT_VERSION) list.push({ name: 'playwright', uri: `pkg:npm/%40playwright/test@${PLAYWRIGHT_VERSION}` });
  list.push({ name: 'node', uri: `pkg:generic/node@${process.versions.node}` });
  return list;
}

const PACKGATE_VERSION = versionIn(path.join(import.meta.dirname, '../../package.json'));
const PLAYWRIGHT_VERSION = (() => {
  try {
    return versionIn(createRequire(import.meta.url).resolve('@playwright/test/package.json'));
  } catch {
    return undefined;
  }
})();

function versionIn(manifestFile: string): string | undefined {
  try {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    return typeof manifest.version === 'string' ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}

function commitOf(options: AttestOptions): Checkout {
  if (options.commit === null) return {};
  if (options.commit !== undefined) {
    if (!/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(options.commit))
      throw new PackgateError('INPUT_INVALID', `commit "${options.commit}" is not a git commit id`, {
        hint: 'give the full 40 (or 64) hex digits, e.g. from `git rev-parse HEAD`',
      });
    return { commit: options.commit };
  }
  return options.checkout ?? checkoutOf(options.root ?? process.cwd());
}

function ciRunUrl(env: Record<string, string | undefined>): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run, GITHUB_RUN_ATTEMPT: attempt } = env;
  if (!server || !repo || !run) return undefined;
  return `${server}/${repo}/actions/runs/${run}${attempt ? `/attempts/${attempt}` : ''}`;
}
