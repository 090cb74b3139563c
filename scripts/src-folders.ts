/**
 * The walls inside src/: each folder, its wing, why it exists, and the src folders it may import
 * (besides itself). `npm run check` (scripts/check-layers.ts) holds every import to this table
 * and fails on any loop between folders.
 *
 * - shared folders import neither wing: both wings use them;
 * - the gate wing never imports the queue wing: a gate runs with no store at all;
 * - the queue wing reads the gate one way: its catalogue, schemas and redaction (QUEUE_READS), and
 *   the narrow interfaces through which a finished gate run reaches the queue (gate/sink.ts) and a
 *   release gate reads the queue's release holds (gate/release-holds.ts) and manual verdicts
 *   (gate/manual-verdicts.ts).
 *
 * An entry is a folder (`catalogue`), or one file of a folder (`gate/sink.ts`) where only that
 * file may be imported.
 */
export type Wing = 'shared' | 'gate' | 'queue';

export type FolderRule = { wing: Wing; may: readonly string[]; why: string };

export const SRC_FOLDERS: Readonly<Record<string, FolderRule>> = {
  // shared: both wings use these
  diagnostics: {
    wing: 'shared',
    may: [],
    why: 'problems as data, the one error users see, the YAML/zod locators, "did you mean", firstLine',
  },
  fs: { wing: 'shared', may: ['diagnostics'], why: 'atomic file writes; reading a file a person named' },
  process: {
    wing: 'shared',
    may: [],
    why: 'whether a process runs; the signals that end a command early, and cleaning up on them',
  },
  git: { wing: 'shared', may: ['diagnostics'], why: 'the git commands both wings run' },
  net: {
    wing: 'shared',
    may: [],
    why: 'a free loopback port, for what must be told its port up front; what is a loopback host; *.localhost names',
  },
  text: {
    wing: 'shared',
    may: [],
    why: 'a string as a regular expression matching exactly it, or as one shell word; a counted noun; an integer as written',
  },

  // the gate wing: from the catalogue to a verdict with its evidence
  schema: {
    wing: 'gate',
    may: [],
    why: "zod schemas of packgate.yaml, packs, environments, seeds, the verdict and the proxy's access-log lines",
  },
  catalogue: {
    wing: 'gate',
    may: ['schema', 'diagnostics', 'fs'],
    why: "loads and cross-checks the catalogue, and keeps it validated between runs; an environment's rules and the projects it makes",
  },
  faults: { wing: 'gate', may: ['catalogue', 'schema', 'diagnostics'], why: "the stack's faults a run asks for" },
  environment: {
    wing: 'gate',
    may: ['catalogue', 'schema', 'diagnostics', 'fs'],
    why: "an environment's URLs, secrets and accounts, resolved from env vars",
  },
  run: {
    wing: 'gate',
    may: ['catalogue', 'schema', 'fs'],
    why: "one run's plan, from the runner to its workers; the run's command line, as Playwright reads it",
  },
  evidence: {
    wing: 'gate',
    may: ['run', 'schema', 'diagnostics', 'fs', 'git', 'text'],
    why: "redaction, the credentials a run saw, the output's attestation",
  },
  reports: { wing: 'gate', may: ['schema', 'diagnostics'], why: 'JUnit and Allure beside the verdict' },
  browser: { wing: 'gate', may: ['diagnostics', 'fs'], why: 'the Chromium the browser layers drive' },
  trace: { wing: 'gate', may: [], why: 'W3C trace context for the requests of a test' },
  oidc: {
    wing: 'gate',
    may: ['environment', 'evidence', 'schema', 'diagnostics'],
    why: 'OIDC authorization requests and the scripted browser sign-in',
  },
  gate: {
    wing: 'gate',
    may: ['catalogue', 'environment', 'evidence', 'reports', 'run', 'schema', 'diagnostics', 'fs', 'git', 'text'],
    why: 'observes and judges a run, writes the verdict, hands the finished run to its sinks',
  },
  playwright: {
    wing: 'gate',
    may: [
      'browser',
      'catalogue',
      'environment',
      'faults',
      'gate',
      'reports',
      'run',
      'schema',
      'diagnostics',
      'fs',
      'text',
      'process',
    ],
    why: "playwright.config.ts's half: projects, web servers, run set-up, listing the tests",
  },
  'manual-browser': {
    wing: 'gate',
    may: ['browser', 'environment', 'oidc', 'schema', 'diagnostics', 'net'],
    why: '`packgate manual run`: the headed browser a person checks in, signed in, traced and filmed',
  },
  preflight: {
    wing: 'gate',
    may: ['browser', 'catalogue', 'environment', 'evidence', 'oidc', 'schema', 'diagnostics', 'net'],
    why: '`packgate env check`: a descriptor checked end to end before a gate trusts it',
  },

  // the queue wing: tasks and the loop around them, on the queue store
  governance: {
    wing: 'queue',
    may: ['catalogue', 'schema', 'diagnostics'],
    why: 'governance.yaml: lanes, the globs they own, packet defaults',
  },
  store: {
    wing: 'queue',
    // text: a counted noun in an event's words (event-words.ts, which task show and the dashboard share)
    may: ['catalogue', 'schema', 'evidence', 'diagnostics', 'text'],
    why: 'the queue store: tasks, events and how each reads in words, sessions, gate runs, evidence by digest',
  },
  packet: {
    wing: 'queue',
    may: ['governance', 'store', 'catalogue', 'evidence', 'schema', 'diagnostics', 'fs'],
    why: 'context packets: built from the catalogue, checked, attached to tasks',
  },
  loop: {
    wing: 'queue',
    may: [
      'packet',
      'store',
      'governance',
      'gate/sink.ts',
      'gate/release-holds.ts',
      'catalogue',
      'evidence',
      'schema',
      'diagnostics',
      'fs',
      'git',
      'text',
    ],
    why: 'the implementation loop: task start, drift, handoff, proofs, recording gate runs',
  },
  review: {
    wing: 'queue',
    may: [
      'loop',
      'packet',
      'store',
      'governance',
      'catalogue',
      'evidence',
      'schema',
      'diagnostics',
      'fs',
      'git',
      'net',
      'process',
    ],
    why: "the review loop: a bug fix's definition of done, its regression proven red then green, routing, the six questions, release holds",
  },
  watch: {
    wing: 'queue',
    may: ['loop', 'packet', 'store', 'governance', 'evidence', 'schema', 'diagnostics', 'fs', 'git', 'text'],
    why: 'watchers: watcher packets, supervised runs, their classification, closeouts, escalation rules, dispatch',
  },
  coordinator: {
    wing: 'queue',
    may: ['loop', 'packet', 'store', 'governance', 'catalogue', 'evidence', 'schema', 'diagnostics', 'fs'],
    why: "the coordinator's view: checkpoints and their decisions, queue health (evidence debt, legacy apart from new), importing a backlog",
  },
  manual: {
    wing: 'queue',
    may: ['store', 'governance', 'gate/manual-verdicts.ts', 'catalogue', 'evidence', 'schema', 'diagnostics', 'fs'],
    why: "manual checks: a person's verdict checked (pack, environment, lane), its evidence redacted, recorded; the gate's source of them",
  },
  dashboard: {
    wing: 'queue',
    // loop, packet: a task's acceptance items and what proves them, read as the handoff reads them (loop/handoff.ts)
    may: ['coordinator', 'loop', 'packet', 'store', 'evidence', 'schema', 'diagnostics', 'net', 'text'],
    why: 'the read-only dashboard and JSON API over the queue store: views, evidence, the trace viewer',
  },
};

/** What of the gate wing the queue wing may read (one way). */
export const QUEUE_READS: readonly string[] = [
  'catalogue',
  'schema',
  'evidence',
  'gate/sink.ts',
  'gate/release-holds.ts',
  'gate/manual-verdicts.ts',
];
