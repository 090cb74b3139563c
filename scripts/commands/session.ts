import { PackgateError } from '../../src/diagnostics/errors.ts';
import type { Session } from '../../src/store/queue-schema.ts';
import { actorOf, emit, plural, project, sessionOf, table, withStore, type CommonOptions } from './kit.ts';

/**
 * The session registry: who holds what, and whose heartbeat is stale. A session whose heartbeat is
 * stale and that holds nothing is over (a worker that handed off and left never ends its session):
 * it is counted, not listed, unless --all asks; a stale one that still holds tasks is listed, for reap.
 */
export async function sessionList(options: CommonOptions & { all?: boolean }): Promise<void> {
  const every = await withStore(project(), store => store.sessions());
  const sessions = options.all ? every : every.filter(s => !isOver(s));
  const over = every.length - sessions.length;
  const notListed = over
    ? [`${plural(over, 'session')} over (stale heartbeat, holding nothing) not listed: packgate session list --all`]
    : [];
  emit(
    options,
    { sessions, notListed: over },
    sessions.length
      ? [
          ...table(
            ['SESSION', 'ACTOR', 'HEARTBEAT', 'HOLDS'],
            sessions.map(s => [
              s.id,
              s.actor,
              `${s.heartbeatAt}${isOver(s) ? ' (stale, over)' : s.stale ? ' (stale)' : ''}`,
              s.holds.join(', ') || '-',
            ]),
          ),
          ...notListed,
        ]
      : over
        ? [`no live sessions; ${notListed[0]}`]
        : 'no sessions',
  );
}

/** A session nobody works under any more: silent past the stale limit, and holding no task. */
function isOver(session: Session): boolean {
  return session.stale && session.holds.length === 0;
}

/** Tells the store the session is alive, so its holds do not go stale. */
export async function sessionHeartbeat(
  id: string | undefined,
  options: CommonOptions & { session?: string },
): Promise<void> {
  if (id && options.session && id !== options.session)
    throw new PackgateError('INPUT_INVALID', `two sessions given: ${id} and --session ${options.session}`, {
      hint: 'give one: packgate session heartbeat <id>, or --session <id>',
    });
  const p = project();
  const sessionId = id ?? sessionOf(p, options, false)?.id;
  if (!sessionId)
    throw new PackgateError(
      'INPUT_INVALID',
      'which session? none given and none in PACKGATE_SESSION or this worktree',
      { hint: 'pass the session id: packgate session heartbeat <id>' },
    );
  const session = await withStore(p, store => store.heartbeat(sessionId));
  emit(
    options,
    { session },
    `session ${session.id} alive at ${session.heartbeatAt}; holds ${session.holds.join(', ') || 'nothing'}`,
  );
}

/** Releases every stale hold back to ready, each on the record with the session and its last heartbeat. */
export async function sessionReap(options: CommonOptions): Promise<void> {
  const released = await withStore(project(), store => store.releaseStale(actorOf(options)));
  emit(
    options,
    { released },
    released.length
      ? released.map(r => `released ${r.taskId}: session ${r.session} silent since ${r.heartbeatAt}`)
      : 'no stale holds',
  );
}
