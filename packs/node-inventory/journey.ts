import type { Page } from '@playwright/test';
import type { SeedData } from '../../fixtures/index.ts';
import { expect, type Pack } from './pack.gen.ts';

/** A seed node record, as this pack relies on it. */
export type Node = {
  id: string;
  ready: boolean;
  blockers: string[];
  tasks: Array<{ id: string; kind: string; status: string; evidence: string }>;
};

/** The persona that must not read the inventory: a seed user without the operator role. */
export function nonOperator(seed: SeedData): string {
  const user = seed.users().find(u => !u.roles.includes('operator'));
  expect(user, 'the seed has a user who is not an operator').toBeTruthy();
  return user!.id;
}

export function seededNodes(seed: SeedData): Node[] {
  const nodes = seed.records<Node>('nodes');
  expect(
    nodes.some(n => !n.ready && n.blockers.length),
    'the seed has a node that is not ready, with a blocker',
  ).toBe(true);
  return nodes;
}

/** The operator's page shows every node's readiness, its blockers and its tasks' evidence. */
export async function expectInventoryPage(page: Page, pack: Pack, nodes: Node[]): Promise<void> {
  await page.goto(pack.url('nodes'));
  for (const node of nodes) {
    await expect(page.locator(pack.selector('node-readiness', { node: node.id }))).toHaveText(
      node.ready ? 'Ready' : 'NotReady',
    );
    const blockers = page.locator(pack.selector('node-blockers', { node: node.id }));
    for (const blocker of node.blockers) await expect(blockers, `${node.id} shows its blocker`).toContainText(blocker);
    const tasks = page.locator(pack.selector('node-tasks', { node: node.id }));
    for (const task of node.tasks) {
      await expect(tasks, `${node.id} shows task ${task.id}`).toContainText(task.id);
      await expect(tasks, `${node.id} shows the evidence of ${task.id}`).toContainText(task.evidence);
    }
  }
}
