import crypto from 'node:crypto';
import type { App, Project } from './records.ts';

export type WorkloadState = 'pending' | 'starting' | 'running' | 'failed';

export type Workload = {
  id: string;
  app: string;
  project: string;
  user: string;
  state: WorkloadState;
  /** Why it failed; empty otherwise. */
  reason: string;
  /** Every state it has been in, in order, the current one last. */
  history: WorkloadState[];
  createdAt: string;
};

export type WorkloadOptions = {
  /** Time between two lifecycle steps. */
  stepMs: number;
  /** The launch-stuck-pending fault: the lifecycle never starts. */
  stuckPending: boolean;
};

/**
 * Workloads and their timed lifecycle: pending, then starting, then running, one step apart; or
 * pending then failed when the app needs more GPUs than the project has. Workloads hold no GPUs in
 * the reference stack, so a long-lived stack never runs out of them however many journeys launch.
 */
export class Workloads {
  readonly #all = new Map<string, Workload>();
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: WorkloadOptions) {}

  create(app: App, project: Project, userId: string): Workload {
    const workload: Workload = {
      id: `wl-${crypto.randomBytes(5).toString('hex')}`,
      app: app.id,
      project: project.id,
      user: userId,
      state: 'pending',
      reason: '',
      history: ['pending'],
      createdAt: new Date().toISOString(),
    };
    this.#all.set(workload.id, workload);
    if (this.options.stuckPending) return workload;
    if (app.gpus > project.gpus) {
      this.#later(1, () =>
        this.#move(
          workload,
          'failed',
          `insufficient GPUs: requested ${app.gpus}, ${project.gpus} free in project ${project.id}`,
        ),
      );
    } else {
      this.#later(1, () => this.#move(workload, 'starting'));
      this.#later(2, () => this.#move(workload, 'running'));
    }
    return workload;
  }

  get(id: string): Workload | undefined {
    return this.#all.get(id);
  }

  /** The project's workloads, newest first. */
  inProject(projectId: string): Workload[] {
    return [...this.#all.values()].filter(w => w.project === projectId).reverse();
  }

  /** Stops the pending lifecycle steps, so a closing stack leaves no timers behind. */
  stop(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #later(steps: number, step: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      step();
    }, steps * this.options.stepMs);
    timer.unref();
    this.#timers.add(timer);
  }

  #move(workload: Workload, state: WorkloadState, reason = ''): void {
    workload.state = state;
    workload.reason = reason;
    workload.history.push(state);
  }
}
