import type { Adapter, AdapterPayload } from 'oidc-provider';

/**
 * In-memory storage for the provider's models (sessions, interactions, codes, tokens, grants).
 * The stack is one process and lives for one run, so nothing needs to survive a restart; a
 * restart simply signs everyone out. Written here rather than using the library's built-in quick
 * start adapter, which warns on every start and caps its storage.
 */
type Entry = { payload: AdapterPayload; expiresAt: number };

class Store {
  readonly entries = new Map<string, Entry>();
  /** Session uid → session id, for findByUid. */
  readonly sessionUids = new Map<string, string>();
  readonly userCodes = new Map<string, string>();
  /** Grant id → keys of tokens and codes issued under it, so revoking a grant revokes them all. */
  readonly grants = new Map<string, Set<string>>();

  get(key: string): AdapterPayload | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }
}

export function memoryAdapterFactory(): (model: string) => Adapter {
  const store = new Store();
  return model => new MemoryAdapter(model, store);
}

class MemoryAdapter implements Adapter {
  constructor(
    private readonly model: string,
    private readonly store: Store,
  ) {}

  private key(id: string): string {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void> {
    const key = this.key(id);
    const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Infinity;
    this.store.entries.set(key, { payload, expiresAt });
    if (this.model === 'Session' && typeof payload.uid === 'string') this.store.sessionUids.set(payload.uid, id);
    if (typeof payload.userCode === 'string') this.store.userCodes.set(payload.userCode, id);
    if (typeof payload.grantId === 'string') {
      const members = this.store.grants.get(payload.grantId) ?? new Set<string>();
      members.add(key);
      this.store.grants.set(payload.grantId, members);
    }
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.store.get(this.key(id));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const id = this.store.sessionUids.get(uid);
    return id === undefined ? undefined : this.find(id);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const id = this.store.userCodes.get(userCode);
    return id === undefined ? undefined : this.find(id);
  }

  async consume(id: string): Promise<void> {
    const payload = this.store.get(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    const key = this.key(id);
    const payload = this.store.entries.get(key)?.payload;
    this.store.entries.delete(key);
    if (payload?.uid && this.store.sessionUids.get(payload.uid) === id) this.store.sessionUids.delete(payload.uid);
    if (payload?.userCode) this.store.userCodes.delete(payload.userCode);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const key of this.store.grants.get(grantId) ?? []) this.store.entries.delete(key);
    this.store.grants.delete(grantId);
  }
}
