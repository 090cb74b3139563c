import fs from 'node:fs';
import path from 'node:path';
import { createRedactor, type Redactor } from './redact.ts';
import { redactFileInPlace, type FileRedaction } from './redact-files.ts';
import { secretEnvValues } from './secret-env.ts';
import { readSecretsSeen, secretsSeenSize } from './secrets-seen.ts';

/**
 * Set to `off` to publish a run's artifacts unredacted: only to prove, on the embedded stack, that
 * redaction is what keeps secrets out (the canary test). Honoured only when every environment of
 * the run is `kind: embedded` at stage `dev`; anywhere else it is refused and said so in the verdict.
 */
export const REDACTION_VAR = 'PACKGATE_REDACTION';

export type RedactionSwitch = {
  enabled: boolean;
  /** What the verdict must say about it: a warning when it is off, or when an attempt was refused. */
  notice?: string;
};

/** Whether this run redacts, from REDACTION_VAR and the environments it judges. */
export function redactionSwitch(
  environments: ReadonlyArray<{ name: string; kind: string; stage: string }>,
  processEnv: Record<string, string | undefined> = process.env,
): RedactionSwitch {
  const asked = processEnv[REDACTION_VAR];
  if (asked === undefined || asked === '' || asked === 'on') return { enabled: true };
  if (asked !== 'off')
    return {
      enabled: true,
      notice: `${REDACTION_VAR}=${asked} is not understood (use "off", on the embedded dev stack only); artifacts were redacted`,
    };
  const elsewhere = environments.filter(e => e.kind !== 'embedded' || e.stage !== 'dev');
  if (!environments.length || elsewhere.length)
    return {
      enabled: true,
      notice:
        `${REDACTION_VAR}=off was refused: redaction can be turned off only for an embedded environment at stage dev, ` +
        `and this run judges ${elsewhere.map(e => `${e.name} (${e.kind}, ${e.stage})`).join(', ') || 'no environment'}; artifacts were redacted`,
    };
  return {
    enabled: false,
    notice:
      `REDACTION IS OFF (${REDACTION_VAR}=off): this run's artifacts (gate-results, test-results, reports) may hold ` +
      'passwords, tokens and cookies in clear; never publish them. Not a release verdict',
  };
}

/**
 * The redaction of one gate run: the environments' secret values plus whatever the fixtures record
 * seeing while the run goes on (read again whenever the record grows), honouring the switch above.
 */
export class RunRedaction {
  readonly enabled: boolean;
  readonly notice?: string;
  private current: Redactor;
  private seenSize = 0;
  /** Every value recorded so far: kept when the run's folder is removed, for sweeps after that. */
  private readonly seen = new Set<string>();

  constructor(
    private readonly options: {
      secretValues: readonly string[];
      /** The run's scratch folder, where fixtures record what they saw; none outside a packgate run. */
      runDir?: string;
      environments: ReadonlyArray<{ name: string; kind: string; stage: string }>;
      processEnv?: Record<string, string | undefined>;
    },
  ) {
    const { enabled, notice } = redactionSwitch(options.environments, options.processEnv);
    this.enabled = enabled;
    this.notice = notice;
    this.current = enabled ? createRedactor(this.known) : text => text;
  }

  /**
   * The environments' secret values, and those of the run's own variables named as secrets
   * (`CI_DEPLOY_PASSWORD`, `ACTIONS_RUNTIME_TOKEN`, `AWS_SECRET_ACCESS_KEY`): a CI job's secrets are
   * in the run's environment whether or not a packgate environment names them, and a test that
   * quotes one in its failure would publish it.
   */
  private get known(): string[] {
    return [...this.options.secretValues, ...secretEnvValues(this.options.processEnv ?? process.env)];
  }

  /** Redacts text with every value known so far. */
  readonly redact: Redactor = text => {
    this.refresh();
    return this.current(text);
  };

  /** Redacts a file where it lies; see redactFileInPlace. Nothing happens when redaction is off. */
  redactFile(file: string, contentType?: string): FileRedaction {
    if (!this.enabled) return { changed: false, quarantined: [] };
    this.refresh();
    return redactFileInPlace(file, contentType, this.current);
  }

  /**
   * Redacts an attachment's name and the name of its file, in place in the test result every
   * reporter shares: Playwright names the file after the attachment (`attachments/<name>-<sha1>.zip`),
   * so a name holding a token would publish it in test-results, the evidence and the reports' copies.
   */
  redactAttachmentName(attachment: { name: string; path?: string }): void {
    if (!this.enabled) return;
    attachment.name = this.redact(attachment.name);
    if (!attachment.path) return;
    const base = path.basename(attachment.path);
    const redacted = this.redact(base);
    if (redacted === base || !fs.existsSync(attachment.path)) return;
    let target = path.join(path.dirname(attachment.path), redacted);
    for (let i = 2; fs.existsSync(target); i++)
      target = path.join(path.dirname(attachment.path), redacted.replace(/(\.[^.]+)?$/, `-${i}$1`));
    fs.renameSync(attachment.path, target);
    attachment.path = target;
  }

  /** Rebuilds the redactor when the fixtures recorded new values (the record only grows). */
  private refresh(): void {
    if (!this.enabled || secretsSeenSize(this.options.runDir) <= this.seenSize) return;
    const { values, size } = readSecretsSeen(this.options.runDir);
    this.seenSize = size;
    const before = this.seen.size;
    for (const value of values) this.seen.add(value);
    if (this.seen.size > before) this.current = createRedactor([...this.known, ...this.seen]);
  }
}
