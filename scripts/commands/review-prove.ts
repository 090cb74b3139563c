import type { Command } from 'commander';

export function registerProveCommand(review: Command): void {
  void review;
}
