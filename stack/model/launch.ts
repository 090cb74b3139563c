import type { Platform } from './platform.ts';
import type { Workload, Workloads } from './workloads.ts';

export type LaunchResult =
  { ok: true; workload: Workload } | { ok: false; status: 403 | 404 | 409; error: string; message: string };

export type LaunchOptions = {
  /** The launch-membership-unchecked fault turns it off on the API's path. */
  checkMembership: boolean;
};

/**
 * Launches an app in a project for a user: what `POST /v1/workloads` and the app's launch form both
 * do, so the two can never disagree about who may launch what.
 */
export function launchWorkload(
  platform: Platform,
  workloads: Workloads,
  userId: string,
  appId: string,
  projectId: string,
  options: LaunchOptions = { checkMembership: true },
): LaunchResult {
  const app = platform.app(appId);
  if (!app) return { ok: false, status: 404, error: 'not_found', message: `there is no app "${appId}"` };
  const project = platform.project(projectId);
  if (!project || (options.checkMembership && !platform.canUseProject(userId, projectId)))
    return {
      ok: false,
      status: 403,
      error: 'forbidden',
      message: `project "${projectId}" is not one of your projects`,
    };
  // A project whose allocations hold its whole quota takes no launch at all: refused here, not
  // created to fail later (an app bigger than the quota still fails with a reason, as before).
  if (platform.gpusInUse(project.id) >= project.gpus)
    return {
      ok: false,
      status: 409,
      error: 'quota_exhausted',
      message: `project "${project.id}" uses all ${project.gpus} of its GPUs`,
    };
  return { ok: true, workload: workloads.create(app, project, userId) };
}
