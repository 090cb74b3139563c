import type { Governance, ReviewConfig } from '../governance/governance-schema.ts';
import { laneOfPath } from '../loop/lane-of-path.ts';
import { firstMatch } from '../packet/glob.ts';

/**
 * A lane that must review the change: why (each route or ownership that named it), which paths, and
 * who reviews for it (governance.yaml `lanes.<lane>.reviewers`; null: any actor but the implementer).
 */
export type RoutedReviewer = { lane: string; why: string[]; paths: string[]; actors: string[] | null };

/** A changed path under a high-risk glob: the change adds special logic of `kind`. */
export type SpecialLogicHit = {
  kind: ReviewConfig['special_logic'][number]['kind'];
  path: string;
  glob: string;
  why: string;
};

export type ReviewRouting = { paths: string[]; reviewers: RoutedReviewer[]; specialLogic: SpecialLogicHit[] };

/**
 * Who must review a change and what in it is high-risk, from governance.yaml `review:`: every route
 * a changed path matches adds its lane, and the lane that owns a path adds itself when it is not
 * the task's own lane (a change in another team's files is that team's to review). Pure: the
 * caller brings the changed paths (the task's diff from its base).
 */
export function routeReview(
  governance: Governance | undefined,
  taskLane: string | null,
  paths: readonly string[],
): ReviewRouting {
  const review = governance?.review;
  const reviewers = new Map<string, RoutedReviewer>();
  const add = (lane: string, why: string, path: string) => {
    const reviewer = reviewers.get(lane) ?? {
      lane,
      why: [],
      paths: [],
      actors: governance?.lanes[lane]?.reviewers ?? null,
    };
    if (!reviewer.why.includes(why)) reviewer.why.push(why);
    if (!reviewer.paths.includes(path)) reviewer.paths.push(path);
    reviewers.set(lane, reviewer);
  };
  const specialLogic: SpecialLogicHit[] = [];
  for (const path of paths) {
    for (const route of review?.routes ?? []) {
      const glob = firstMatch(route.paths, path);
      if (glob) add(route.lane, `route ${glob}: ${route.why}`, path);
    }
    const owner = laneOfPath(governance, path);
    if (owner && owner.name !== taskLane)
      add(owner.name, `owns ${owner.glob} (the task is ${taskLane ?? 'in no lane'})`, path);
    for (const special of review?.special_logic ?? []) {
      const glob = firstMatch(special.paths, path);
      if (glob) specialLogic.push({ kind: special.kind, path, glob, why: special.why });
    }
  }
  return { paths: [...paths], reviewers: [...reviewers.values()], specialLogic };
}

/**
 * The routed lanes an accept may name (`review submit --accept --lane`): those that list their
 * reviewers when any does, else every routed lane. A lane that lists its reviewers is reviewed for by
 * them alone, so a review for an open lane routed beside it (src/** beside src/oidc/**) does not pass
 * it by.
 */
export function acceptingLanes(routing: Pick<ReviewRouting, 'reviewers'>): RoutedReviewer[] {
  const listed = routing.reviewers.filter(r => r.actors);
  return listed.length ? listed : routing.reviewers;
}
