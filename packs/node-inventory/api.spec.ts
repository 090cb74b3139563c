import { expect, test } from './pack.gen.ts';
import { seededNodes, type Node } from './journey.ts';

// Who the inventory is refused to (a member, a visitor) is refusals.spec.ts.

test('an operator reads every node with its readiness', async ({ userApi, pack, seed }) => {
  const { nodes } = await userApi.json<{ nodes: Node[] }>(pack.url('nodes-api'));
  for (const node of seededNodes(seed)) {
    const reported = nodes.find(n => n.id === node.id);
    expect(reported, `${node.id} is reported`).toBeTruthy();
    expect(reported!.ready, `${node.id} reports its readiness`).toBe(node.ready);
  }
});

test('blockers and task evidence are reported', async ({ userApi, pack, seed }) => {
  const { nodes } = await userApi.json<{ nodes: Node[] }>(pack.url('nodes-api'));
  for (const node of seededNodes(seed)) {
    const reported = nodes.find(n => n.id === node.id)!;
    expect(reported.blockers ?? [], `${node.id}'s blockers`).toEqual(node.blockers);
    expect(reported.tasks, `${node.id}'s tasks and their evidence`).toEqual(node.tasks);
  }
});
