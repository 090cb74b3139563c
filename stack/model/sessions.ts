import type { IncomingMessage } from 'node:http';
import type { StackUser } from '../config.ts';
import { readCookies } from '../http/cookies.ts';
import { ExpiringStore } from './expiring-store.ts';
import type { Context, Platform } from './platform.ts';

/** Holds the id of the server-side session; every service accepts it. */
export const SESSION_COOKIE = 'gpuaas_session';
export const SESSION_TTL_S = 8 * 60 * 60;

type SessionRecord = {
  userId: string;
  tenantId?: string;
  projectId?: string;
  /** The context-lost-on-reload fault: a switched context readable this many more times. */
  switched?: { tenantId: string; projectId: string; readsLeft: number };
};

export type SignedIn = { sessionId: string; user: StackUser };

export type SwitchResult =
  { ok: true; context: Context } | { ok: false; status: 400 | 401 | 403; error: string; message: string };

export type SessionFaults = {
  /** tenant-switch-ignored: a switch answers success and changes nothing. */
  switchIgnored: boolean;
  /** context-lost-on-reload: a switch is seen by one read, then the default is back. */
  lostOnReload: boolean;
};

/**
 * Signed-in sessions and the tenant and project each one works in. The browser holds only the
 * random id in the `gpuaas_session` cookie; the app creates sessions, and the API, notebook and
 * terminal services look them up here, so one sign-in works on every service as behind a real
 * platform's shared session store.
 */
export class Sessions {
  readonly #store: ExpiringStore<SessionRecord>;

  constructor(
    private readonly platform: Platform,
    private readonly faults: SessionFaults,
    /** How long a session lasts; the app's cookie says the same. */
    readonly ttlS: number = SESSION_TTL_S,
  ) {
    this.#store = new ExpiringStore<SessionRecord>(ttlS * 1000);
  }

  /** Starts a session in the user's default context and returns its id. */
  create(userId: string): string {
    const start = this.platform.defaultContext(userId);
    return this.#store.add({ userId, tenantId: start?.tenant.id, projectId: start?.project.id });
  }

  /** The signed-in user of a request, from its session cookie; undefined when there is none or it expired. */
  fromRequest(req: IncomingMessage): SignedIn | undefined {
    const sessionId = readCookies(req).get(SESSION_COOKIE);
    const record = this.#store.get(sessionId);
    const user = record && this.platform.user(record.userId);
    return user && sessionId ? { sessionId, user } : undefined;
  }

  /** The session's tenant and project; undefined for a user with no tenant. */
  context(sessionId: string): Context | undefined {
    const record = this.#store.get(sessionId);
    if (!record) return undefined;
    if (record.switched && record.switched.readsLeft > 0) {
      record.switched.readsLeft -= 1;
      return this.#resolve(record.switched.tenantId, record.switched.projectId);
    }
    return this.#resolve(record.tenantId, record.projectId) ?? this.platform.defaultContext(record.userId);
  }

  /**
   * Moves the session to another tenant and project: 403 when the user is not a member of the
   * tenant, 400 when the project is not one of the tenant's.
   */
  switchContext(sessionId: string, tenantId: string, projectId: string): SwitchResult {
    const record = this.#store.get(sessionId);
    if (!record) return { ok: false, status: 401, error: 'unauthenticated', message: 'the session has ended' };
    const tenant = this.platform.tenant(tenantId);
    if (!tenant || !this.platform.isMember(record.userId, tenantId))
      return {
        ok: false,
        status: 403,
        error: 'forbidden',
        message: `you are not a member of tenant "${tenantId}"`,
      };
    const project = this.platform.project(projectId);
    if (!project || project.tenant !== tenant.id)
      return {
        ok: false,
        status: 400,
        error: 'project_not_in_tenant',
        message: `project "${projectId}" is not a project of tenant "${tenant.id}"`,
      };
    if (this.faults.lostOnReload) record.switched = { tenantId, projectId, readsLeft: 1 };
    else if (!this.faults.switchIgnored) Object.assign(record, { tenantId, projectId, switched: undefined });
    return { ok: true, context: { tenant, project } };
  }

  delete(sessionId: string | undefined): void {
    this.#store.delete(sessionId);
  }

  #resolve(tenantId: string | undefined, projectId: string | undefined): Context | undefined {
    const tenant = tenantId ? this.platform.tenant(tenantId) : undefined;
    const project = projectId ? this.platform.project(projectId) : undefined;
    return tenant && project ? { tenant, project } : undefined;
  }
}
