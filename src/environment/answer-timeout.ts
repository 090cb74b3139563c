import type { Environment } from '../schema/environment.ts';

/**
 * How long a URL of an environment may stay silent (`answer_timeout_s`), for env check and a run's
 * answer check alike, and the words for one that did: they name the setting and its file, so a
 * deployment slow to start is told what to raise.
 */
export function answerTimeout(env: Pick<Environment, 'answerTimeoutS'> & { file: string }): {
  ms: number;
  noAnswer: string;
} {
  return {
    ms: env.answerTimeoutS * 1000,
    noAnswer: `no answer within ${env.answerTimeoutS} s (answer_timeout_s in ${env.file})`,
  };
}
