import type { ProjectPlan } from '../catalogue/project-plan.ts';

/**
 * The projects in the order a test server session (UI mode, VS Code) shows them: the default
 * environments' pack projects first, then their sign-in setups, then the deployed environments' (each
 * kind in the catalogue's order).
 *
 * Why: with no selection stored in the browser, Playwright's UI mode checks only the first project
 * of the config, and the catalogue's order starts with a deployed environment (`demo-sign-in`,
 * which lists no tests of its own): the UI opened on "No tests". A setup first would open on its
 * sign-ins alone. Only a test server session is reordered: a gate run keeps the catalogue's order,
 * where the sign-in setup comes first so the dispatcher starts it at once beside the tests that need
 * no session.
 */
export function testServerOrder(plans: readonly ProjectPlan[]): ProjectPlan[] {
  const rank = (plan: ProjectPlan) => (plan.isDefault ? 0 : 2) + (plan.kind === 'sign-in' ? 1 : 0);
  return [...plans].sort((a, b) => rank(a) - rank(b));
}
