import type { ResolvedEnvironment } from '../environment/resolve.ts';
import type { PreflightCheck } from './env-check.ts';
import { CONNECTION_REFUSED, unanswered } from './reach.ts';

export const READY_CHECK = 'url stack.ready_url';

/**
 * The row of `stack.ready_url`, where a run probes whether the stack it starts is ready (ready_path
 * on it), from `probe`, that URL reached. env check starts no stack, so nothing listening there is
 * expected while none of the stack's URLs answer (`urlRows`): not judged, saying why. With its URLs
 * answering, the stack is up and a probe nobody answers is a run that would never see it ready:
 * that fails, naming the setting to check.
 */
export function readyCheck(
  probe: PreflightCheck,
  urlRows: readonly PreflightCheck[],
  env: Pick<ResolvedEnvironment, 'file' | 'stack'>,
): PreflightCheck {
  if (!probe.detail.includes(CONNECTION_REFUSED)) return probe;
  const answering = urlRows.find(row => row.ok !== null && !unanswered(row.detail));
  if (!answering)
    return {
      ...probe,
      ok: null,
      detail: `${probe.detail}; expected while the stack is not up: a gate run starts it and waits for this probe`,
    };
  return {
    ...probe,
    detail:
      `${probe.detail}, though ${answering.check} answers: the stack is up, but not probed here, ` +
      `so a gate run would wait for it in vain; check stack.ready_url in ${env.file}`,
  };
}
