import type { Command } from 'commander';

export function registerReviewDecisionCommands(review: Command): void {
  void review;
}
