/**
 * The env var naming the task a gate run proves; without it the run is a release-gate run of its
 * environment. A module of its own: reporters read it at a run's start without loading the store.
 */
export const TASK_ID_VAR = 'TASK_ID';
