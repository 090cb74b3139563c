import type { TestCase, TestResult, TestStep } from '@playwright/test/reporter';
import { specIdentity } from '../catalogue/spec-path.ts';
import { firstLine, stripAnsi } from '../diagnostics/first-line.ts';
import { readProjectMetadata, readSignInMetadata, type GateProjectMetadata } from '../catalogue/project-plan.ts';
import {
  CORRELATION_ATTACHMENT,
  INTERACTIVE_SIGN_IN_ANNOTATION,
  NOT_APPLICABLE_ANNOTATION,
  REFUSAL_ANNOTATION,
  SEED_MISSING_ANNOTATION,
  SIGN_IN_TITLE,
  UNIT_REPORT_ATTACHMENT,
  type CorrelationAttachment,
} from './attachments.ts';

/** A file Playwright kept for a failed attempt (trace, screenshot, video). */
export type AttachmentRef = { name: string; path: string; contentType: string; attempt: number };

/** One test of a gate project, with what the gate needs to judge it (see JudgedTest) and to file its evidence. */
export type ObservedTest = {
  title: string;
  outcome: 'expected' | 'unexpected' | 'flaky' | 'skipped';
  /** Status of the last attempt; undefined when the test never started. */
  lastStatus?: 'passed' | 'failed' | 'timedOut' | 'skipped' | 'interrupted';
  /** First line of the first error of the failing attempt. */
  error?: string;
  /** Why it was skipped, from test.skip()/test.fixme(). */
  skipReason?: string;
  /** What the test declared it expects: `failed` for test.fail(). Default `passed`. */
  expectedStatus?: 'passed' | 'failed' | 'timedOut' | 'skipped' | 'interrupted';
  /** Assertions the test's own body made in its last attempt (fixtures' and hooks' not counted). */
  assertions?: number;
  /** Why it was not run: seed data it needs is missing from the environment (seed_strategy: verify). */
  seedMissing?: string;
  /** Why it never started, when something the run knows stopped it (a failed sign-in setup). */
  notRunBecause?: string;
  /** The pack whose spec this test is in. */
  pack: string;
  project: GateProjectMetadata;
  projectName: string;
  /** `packs/auth-session/api.spec.ts:12`, relative to the project root. */
  location: string;
  correlationIds: string[];
  /** W3C trace ids of the test's requests. */
  traceIds: string[];
  /** Files from failed attempts only (passing runs leave no evidence behind), and the unit report judged. */
  failureAttachments: AttachmentRef[];
  /** Every error of the failing attempt, in full (redacted later). */
  errors: string[];
  /** Time its attempts took, together, in ms. */
  durationMs: number;
  /** Interactive IdP sign-ins this test's attempts performed (0 when it reused its worker's session). */
  interactiveSignIns: number;
  /** Checks that did not apply in this environment, each saying why (NOT_APPLICABLE_ANNOTATION). */
  notApplicable: string[];
  /** Ids of the pack's refusals the test claims to prove (its `refuses(...)` details). */
  refuses: string[];
  /** Set on a test of an environment's sign-in setup project: the persona it signs in as. */
  signInAs?: string;
};

export function observeTest(test: TestCase, rootDir: string): ObservedTest | undefined {
  const project = test.parent.project();
  if (!project) return undefined;
  const signIn = readSignInMetadata(project);
  // The sign-in setup runs in a browser and belongs to no pack; the gate judges it with the packs that sign in.
  const meta: GateProjectMetadata | undefined = signIn
    ? {
        root: signIn.root,
        packsDir: '',
        environment: signIn.environment,
        stage: signIn.stage,
        layer: 'browser',
        packs: [],
        part: 'signed-out',
      }
    : readProjectMetadata(project);
  if (!meta) return undefined;
  const results = test.results;
  const last = results.at(-1);
  const failing = [...results]
    .reverse()
    .find(r => r.status !== 'passed' && r.status !== 'skipped' && r.errors.length > 0);
  const correlation = results.map(correlationOf);
  const skip = test.annotations.find(a => a.type === 'skip' || a.type === 'fixme');
  const title = meta.layer === 'unit' ? test.title : test.titlePath().slice(3).join(' › ') || test.title;
  return {
    title,
    outcome: test.outcome(),
    lastStatus: last?.status,
    error: failing ? firstLine(failing.errors[0]?.message ?? failing.error?.message ?? '') : undefined,
    skipReason: skip?.description,
    expectedStatus: test.expectedStatus,
    assertions: last ? assertionsOf(last.steps) : 0,
    pack: signIn ? '(sign-in)' : (packOfTest(test, meta) ?? '(not a pack spec)'),
    ...(signIn ? { signInAs: test.title.slice(SIGN_IN_TITLE.length).trim() } : {}),
    project: meta,
    projectName: project.name,
    location: `${relative(rootDir, test.location.file)}:${test.location.line}`,
    correlationIds: [...new Set(correlation.flatMap(c => c.ids))],
    traceIds: [...new Set(correlation.flatMap(c => c.traceIds ?? []))],
    failureAttachments: results.flatMap(r =>
      r.attachments
        // The unit report the gate judged is evidence whatever the outcome: its digest is attested.
        .filter(a => a.path && (a.name === UNIT_REPORT_ATTACHMENT || (r.status !== 'passed' && r.status !== 'skipped')))
        .map(a => ({ name: a.name, path: a.path!, contentType: a.contentType, attempt: r.retry })),
    ),
    errors: failing ? failing.errors.map(e => stripAnsi(e.message ?? e.value ?? '')) : [],
    durationMs: results.reduce((ms, r) => ms + r.duration, 0),
    interactiveSignIns: results.reduce(
      (n, r) => n + r.annotations.filter(a => a.type === INTERACTIVE_SIGN_IN_ANNOTATION).length,
      0,
    ),
    seedMissing: (last?.annotations ?? []).find(a => a.type === SEED_MISSING_ANNOTATION)?.description,
    refuses: test.annotations.filter(a => a.type === REFUSAL_ANNOTATION).map(a => a.description ?? ''),
    notApplicable: [
      ...new Set(
        (last?.annotations ?? []).filter(a => a.type === NOT_APPLICABLE_ANNOTATION).map(a => a.description ?? ''),
      ),
    ],
  };
}

/**
 * The pack a test of a gate project belongs to. The spec's path names it; tags may repeat it for
 * --grep, and lint checks they agree. A unit-layer test sits in one spec for every pack, in a
 * describe named after its pack: its `@pack:<id>` tag names it.
 */
export function packOfTest(test: TestCase, meta: Pick<GateProjectMetadata, 'layer' | 'packsDir'>): string | undefined {
  if (meta.layer === 'unit') return test.tags.find(t => t.startsWith('@pack:'))?.slice('@pack:'.length);
  return specIdentity(meta.packsDir, test.location.file)?.pack;
}

/** Expect calls of the test itself: those inside fixtures and hooks check the set-up, not the journey. */
function assertionsOf(steps: readonly TestStep[]): number {
  return steps.reduce(
    (n, step) =>
      step.category === 'fixture' || step.category === 'hook'
        ? n
        : n + (step.category === 'expect' ? 1 : 0) + assertionsOf(step.steps),
    0,
  );
}

function correlationOf(result: TestResult): CorrelationAttachment {
  const attachment = result.attachments.find(a => a.name === CORRELATION_ATTACHMENT && a.body);
  if (!attachment?.body) return { ids: [] };
  try {
    const parsed = JSON.parse(attachment.body.toString('utf8')) as Partial<CorrelationAttachment>;
    return { ids: parsed.ids ?? [], traceIds: parsed.traceIds ?? [] };
  } catch {
    return { ids: [] };
  }
}

function relative(root: string, file: string): string {
  return file.startsWith(root + '/') ? file.slice(root.length + 1) : file;
}
