import { expect, test } from '@playwright/test';
import { stronglyConnected } from '../../src/coordinator/graph-components.ts';

/** The components as sorted groups of nodes, for comparing without their numbers. */
function groups(edges: Record<string, string[]>): string[][] {
  const component = stronglyConnected(new Map(Object.entries(edges)));
  const byNumber = new Map<number, string[]>();
  for (const [node, n] of component) byNumber.set(n, [...(byNumber.get(n) ?? []), node]);
  return [...byNumber.values()].map(g => g.sort()).sort((a, b) => a[0].localeCompare(b[0]));
}

test('nodes on one cycle share a component; a tail, a bridge and a node only depended on stand alone', () => {
  expect(
    groups({
      // A -> B -> C -> A, with a tail T -> A and a bridge C -> D into the cycle D <-> E
      A: ['B'],
      B: ['C'],
      C: ['A', 'D'],
      D: ['E'],
      E: ['D', 'STORED'],
      T: ['A'],
      SELF: ['SELF'],
    }),
  ).toEqual([['A', 'B', 'C'], ['D', 'E'], ['SELF'], ['STORED'], ['T']]);
});

test('a chain of 100,000 tasks is walked without overflowing the stack, each task its own component', () => {
  const edges = new Map<string, string[]>();
  for (let i = 1; i < 100_000; i++) edges.set(`T-${i}`, [`T-${i - 1}`]);
  const component = stronglyConnected(edges);
  expect(component.size).toBe(100_000);
  expect(new Set(component.values()).size).toBe(100_000);
  // Closed into a ring by one edge, they are all one.
  edges.set('T-0', ['T-99999']);
  expect(new Set(stronglyConnected(edges).values()).size).toBe(1);
});
