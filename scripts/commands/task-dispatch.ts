import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { PackgateError } from '../../src/diagnostics/errors.ts';
import { suggest } from '../../src/diagnostics/nearest.ts';
import { openTask } from '../../src/loop/open-task.ts';
import { checkedTaskPacket } from '../../src/loop/task-packet.ts';
import { OUTPUT_DIR_VAR } from '../../src/schema/constants.ts';
import { closeoutLines } from '../../src/watch/closeout-lines.ts';
import { dispatchTask } from '../../src/watch/dispatch.ts';
import { interruption } from './interruption.ts';
import { actorOf, emit, packetContext, project, withStore, type CommonOptions } from './kit.ts';
import { watchConfig } from './watch.ts';

/**
 * Dispatches a worker: starts the task for a new session, runs the provider's command (governance.yaml
 * `watch.providers`) in its worktree as a watched run, then hands off (success) or releases it back
 * to the state it was claimed from (anything else, exit 1: ready; blocked or escalated keep their flag).
 * A handoff refused for missing proof is reported with what it misses, exit 1.
 * A provider that cannot start is WATCH_NOT_STARTED (exit 2), the task given back and the session ended;
 * a run that fails after its closeout, or a handoff that fails (git or the store erring, not a refusal),
 * gives the task back and ends the session alike.
 */
export async function taskDispatch(id: string, options: CommonOptions & { provider: string }): Promise<void> {
  const p = project();
  const config = watchConfig(p);
  const providers = Object.keys(config.providers);
  const provider = config.providers[options.provider];
  if (!provider)
    throw new PackgateError('INPUT_INVALID', `unknown provider "${options.provider}"`, {
      hint: `${suggest(options.provider, providers, 'providers')} (${p.governanceFile} watch.providers)`,
    });
  // A worker session of its own, whatever session the caller is in.
  const actor = actorOf(options);
  const fresh = {
    id: `${actor.split('@')[0]}-${randomBytes(3).toString('hex')}`,
    actor,
    host: os.hostname(),
    pid: process.pid,
  };
  const interrupt = interruption();
  try {
    const dispatched = await withStore(p, async store => {
      const task = await store.requireTask(id);
      const packet = checkedTaskPacket(task, packetContext(p));
      return dispatchTask(
        {
          root: p.root,
          store,
          storeLocation: p.storeLocation(),
          governance: p.governance()?.value,
          taskId: id,
          packet,
          session: fresh,
          actor,
          provider: { name: options.provider, ...provider },
          config,
          outputDir: process.env[OUTPUT_DIR_VAR] ?? p.manifest.output_dir,
          env: process.env,
          interrupt: interrupt.signal,
          stdout: options.json ? process.stderr : process.stdout,
        },
        (worktree, base) =>
          openTask(store, { task: id, dir: worktree, base }, { root: p.root, packetContext: packetContext(p) }),
      );
    });
    const { watched, handoff } = dispatched;
    const { closeout } = watched;
    const missing = handoff?.handoff.missing ?? [];
    emit(
      options,
      {
        task: id,
        session: fresh.id,
        provider: options.provider,
        worktree: dispatched.worktree,
        command: dispatched.command,
        closeout,
        released: dispatched.released,
        ...(dispatched.releasedTo ? { releasedTo: dispatched.releasedTo } : {}),
        handoff: handoff
          ? { recorded: handoff.digest ?? null, missing, filesChanged: handoff.handoff.filesChanged }
          : null,
      },
      [
        `task ${id} dispatched to ${options.provider} in ${dispatched.worktree} (session ${fresh.id})`,
        `provider closed out: ${closeout.status}${closeout.class ? ` (${closeout.class})` : ''}: ${watched.classification.why}`,
        ...closeoutLines([closeout]).slice(1),
        ...(dispatched.released
          ? [`task ${id} released back to ${dispatched.releasedTo}: the provider did not succeed`]
          : []),
        ...(handoff?.digest
          ? [
              `handed off: in_review (handoff sha256 ${handoff.digest.slice(0, 12)}); files changed:`,
              ...handoff.handoff.filesChanged.map(f => `  ${f.status.padEnd(9)} ${f.path}`),
            ]
          : []),
        ...(missing.length
          ? [
              `handoff refused: ${missing.length} missing (task ${id} stays in progress)`,
              ...missing.map(m => `  - ${m}`),
            ]
          : []),
      ],
      // Interrupted (128+n) wins, so `ok` and the exit code agree on that too.
      interrupt.exitCode() ?? (closeout.status !== 'success' || missing.length ? 1 : 0),
    );
  } finally {
    interrupt.dispose();
  }
}
