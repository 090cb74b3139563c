import type http from 'node:http';
import { closeNow, listen } from '../http/listen.ts';

/** One replica of the app, as a Deployment's pod: its own server, ready once it has warmed up. */
export type AppReplica = {
  revision: number;
  server: http.Server;
  /** Resolves when the replica can serve (the app's IdP discovery answered); rejects if it never can. */
  warmUp: Promise<void>;
};

/** How long a replica out of routing still takes what was already sent to it. */
const DRAIN_GRACE_MS = 500;

export type ReplicaPhase = 'starting' | 'ready' | 'terminating' | 'gone';

/** A replica's readiness as the rollout saw it change, for `GET /__stack/rollout`. */
export type ReplicaEvent = { at: string; revision: number; phase: ReplicaPhase; ready: boolean };

export type RolloutStatus = {
  revision: number;
  inProgress: boolean;
  replicas: Array<{ revision: number; phase: ReplicaPhase; ready: boolean }>;
  events: ReplicaEvent[];
};

/**
 * The app's Deployment: one replica serving, and on a rolling restart (maxSurge 1, maxUnavailable 0)
 * a new replica started beside it, routed to once ready, then the old one taken out of routing and
 * drained (its in-flight requests finish) and stopped. The ingress always has a ready replica, so a
 * run in progress sees no error; sessions live in the platform's store, not in a replica.
 */
export class AppReplicas {
  readonly #create: (revision: number) => AppReplica;
  readonly #route: (upstream: string) => void;
  readonly #host: string;
  #serving: { replica: AppReplica; phase: ReplicaPhase } | undefined;
  #surge: { replica: AppReplica; phase: ReplicaPhase } | undefined;
  #rollout: Promise<RolloutStatus> | undefined;
  readonly #events: ReplicaEvent[] = [];

  constructor(options: { create: (revision: number) => AppReplica; route: (upstream: string) => void; host: string }) {
    this.#create = options.create;
    this.#route = options.route;
    this.#host = options.host;
  }

  /** Starts the first replica; the stack is ready only once it is. */
  async start(): Promise<void> {
    const replica = await this.#started(1);
    this.#serving = { replica, phase: 'ready' };
  }

  /** Why the app has no ready replica, or undefined: what the ingress asks before routing. */
  unready(): string | undefined {
    return this.#serving?.phase === 'ready' ? undefined : 'the app has no ready replica';
  }

  /** A rolling restart; a second request while one runs gets the same rollout. */
  restart(): Promise<RolloutStatus> {
    this.#rollout ??= this.#roll().finally(() => (this.#rollout = undefined));
    return this.#rollout;
  }

  status(): RolloutStatus {
    const replicas = [this.#serving, this.#surge]
      .filter(r => r !== undefined)
      .map(({ replica, phase }) => ({ revision: replica.revision, phase, ready: phase === 'ready' }));
    return {
      revision: this.#serving?.replica.revision ?? 0,
      inProgress: this.#rollout !== undefined,
      replicas,
      events: [...this.#events],
    };
  }

  async close(): Promise<void> {
    const running = [this.#serving, this.#surge].filter(r => r !== undefined);
    await Promise.all(running.map(r => closeNow(r.replica.server)));
  }

  async #roll(): Promise<RolloutStatus> {
    const old = this.#serving!;
    const revision = old.replica.revision + 1;
    const replica = await this.#started(revision, surge => (this.#surge = surge));
    this.#surge = undefined;
    this.#serving = { replica, phase: 'ready' };
    // Out of routing first, then drained, as a pod's preStop grace does it: a request the proxy sent
    // on a kept-alive connection just before the switch is on the wire for a moment, and closing
    // that connection as idle then would fail it. After the grace, close() lets in-flight ones finish.
    this.#record(old.replica.revision, (old.phase = 'terminating'));
    await new Promise(resolve => setTimeout(resolve, DRAIN_GRACE_MS));
    await new Promise<void>(resolve => {
      old.replica.server.close(() => resolve());
      old.replica.server.closeIdleConnections();
    });
    this.#record(old.replica.revision, 'gone');
    return this.status();
  }

  /** A new replica: listening, not ready (starting), then ready and routed to. */
  async #started(
    revision: number,
    onStarting: (r: { replica: AppReplica; phase: ReplicaPhase }) => void = () => {},
  ): Promise<AppReplica> {
    const replica = this.#create(revision);
    const entry = { replica, phase: 'starting' as ReplicaPhase };
    onStarting(entry);
    this.#record(revision, 'starting');
    await listen(replica.server, this.#host, 0);
    try {
      await replica.warmUp;
    } catch (error) {
      await closeNow(replica.server);
      this.#record(revision, 'gone');
      throw error;
    }
    entry.phase = 'ready';
    this.#record(revision, 'ready');
    this.#route(`http://${this.#host}:${(replica.server.address() as { port: number }).port}`);
    return replica;
  }

  #record(revision: number, phase: ReplicaPhase): void {
    this.#events.push({ at: new Date().toISOString(), revision, phase, ready: phase === 'ready' });
  }
}
