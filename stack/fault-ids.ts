/**
 * The faults this stack knows how to inject, by their id in stack/faults.yaml. A fault listed in the
 * catalogue but missing here would start a healthy stack and let its pack pass silently, so the stack
 * refuses to start with such a fault requested (see config.ts).
 */
export const FAULTS = {
  /** The IdP registers a stale redirect URI for the app's client instead of its real callback. */
  callbackUnregistered: 'callback-unregistered',
} as const;

export const implementedFaults: ReadonlySet<string> = new Set(Object.values(FAULTS));
