import type { Command } from 'commander';
import { registerFixRecordCommands } from './review-record.ts';
import { registerProveCommand } from './review-prove.ts';
import { registerReviewDecisionCommands } from './review-decide.ts';

/**
 * The review loop: a bug fix's definition of done and its regression's proof, routing, the review
 * itself and the release holds it clears. Exit codes as everywhere: 0 ok, 1 refused (a regression
 * not proven, a review the actor may not give), 2 bad input (nothing written).
 */
export function registerReviewCommands(program: Command): void {
  const review = program
    .command('review')
    .description('the review loop: bug-fix records, regression proofs, reviews, release holds');
  registerFixRecordCommands(review);
  registerProveCommand(review);
  registerReviewDecisionCommands(review);
}
