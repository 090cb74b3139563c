import type { FaultSet } from '../fault-ids.ts';
import { FAULTS } from '../fault-ids.ts';
import type { GpuNode, NodeTask } from './records.ts';

/** A node as operators see it (API and page); `ready` is absent only with the node-readiness-missing fault. */
export type NodeReport = {
  id: string;
  ready?: boolean;
  gpus: number;
  blockers: string[];
  tasks: NodeTask[];
};

/** The node inventory as reported, with the node-inventory faults applied in one place for API and page. */
export function nodeReports(nodes: readonly GpuNode[], faults: FaultSet): NodeReport[] {
  return nodes.map(node => ({
    id: node.id,
    ...(faults.has(FAULTS.nodeReadinessMissing) ? {} : { ready: node.ready }),
    gpus: node.gpus,
    blockers: faults.has(FAULTS.nodeBlockersHidden) ? [] : [...node.blockers],
    tasks: node.tasks.map(task => ({ ...task })),
  }));
}

/** Who may read the node inventory: operators, or anyone with the nodes-not-operator-only fault. */
export function canReadNodes(roles: readonly string[], faults: FaultSet): boolean {
  return roles.includes('operator') || faults.has(FAULTS.nodesNotOperatorOnly);
}
