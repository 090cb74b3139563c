import type { Refusal } from './refusal.ts';

// Without zod: test workers read a refusal's action and statuses at run time (fixtures/refusal-answers.ts).

/** Callers with no valid session of a seed user, as a refusal's `as:` may name them. */
export const refusalCallers = ['no-session', 'expired-session', 'foreign-origin'] as const;

/** Methods a refusal's action may name; `WS` is a websocket upgrade. */
export const refusalMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'WS'] as const;

/** The action's method and path name. */
export function actionOf(refusal: Pick<Refusal, 'action'>): { method: string; path: string } {
  const [method, path] = refusal.action.split(' ');
  return { method, path };
}

/** The statuses a refusal accepts, as a list. */
export function statusesOf(refusal: Pick<Refusal, 'status'>): number[] {
  return typeof refusal.status === 'number' ? [refusal.status] : refusal.status;
}
