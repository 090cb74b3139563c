/**
 * Each node's strongly connected component, numbered (Tarjan's algorithm): an edge closes a cycle
 * exactly when both its ends are in one component, found for every edge in one pass over the
 * graph. A search per edge was quadratic: a backlog of 10,000 tasks in one chain took 40 s to check.
 * Iterative, not recursive: such a chain would overflow the call stack.
 */
export function stronglyConnected(edges: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const component = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  let visited = 0;
  let components = 0;
  const enter = (node: string) => {
    index.set(node, visited);
    low.set(node, visited++);
    stack.push(node);
    onStack.add(node);
  };
  for (const root of edges.keys()) {
    if (index.has(root)) continue;
    enter(root);
    const work = [{ node: root, next: 0 }];
    while (work.length) {
      const frame = work[work.length - 1];
      const out = edges.get(frame.node) ?? [];
      if (frame.next < out.length) {
        const to = out[frame.next++];
        if (!index.has(to)) {
          enter(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      // frame.node roots a component: it and every node above it on the stack.
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.set(member, components);
      } while (member !== frame.node);
      components++;
    }
  }
  return component;
}
