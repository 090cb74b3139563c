import type { Command } from 'commander';

export function registerFixRecordCommands(review: Command): void {
  void review;
}
