import type { TestError, TestResult, TestStep } from '@playwright/test/reporter';
import type { Redactor } from './redact.ts';

const TEXT_FIELDS = ['message', 'stack', 'value', 'snippet'] as const;

/**
 * Redacts a finished test's errors where they are, in the result every reporter shares: printing
 * reporters show them at the end of the run (a goto or toHaveURL error quotes the callback URL with
 * its code and state), and reporters after the gate copy them into JUnit and Allure files.
 */
export function redactTestErrors(result: TestResult, redact: Redactor): void {
  const seen = new Set<TestError>();
  const visit = (error: TestError | undefined) => {
    if (!error || seen.has(error)) return;
    seen.add(error);
    for (const field of TEXT_FIELDS) if (typeof error[field] === 'string') error[field] = redact(error[field]);
    visit(error.cause);
  };
  const visitSteps = (steps: readonly TestStep[]) => {
    for (const step of steps) {
      visit(step.error);
      visitSteps(step.steps);
    }
  };
  visit(result.error);
  result.errors.forEach(visit);
  visitSteps(result.steps);
}
