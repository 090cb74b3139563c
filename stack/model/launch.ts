import type { Platform } from './platform.ts';
import type { Workload, Workloads } from './workloads.ts';

export type LaunchResult =
  { ok: true; workload: Workload } | { ok: false; status: 403 | 404; error: string; message: string };

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
): LaunchResult {
  const app = platform.app(appId);
  if (!app) return { ok: false, status: 404, error: 'not_found', message: `there is no app "${appId}"` };
  const project = platform.project(projectId);
  if (!project || !platform.canUseProject(userId, projectId))
    return {
      ok: false,
      status: 403,
      error: 'forbidden',
      message: `project "${projectId}" is not one of your projects`,
    };
  return { ok: true, workload: workloads.create(app, project, userId) };
}
