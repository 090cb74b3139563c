import crypto from 'node:crypto';

/** What a terminal runs on: the allocation's node and its GPUs. */
export type TerminalHost = { allocation: string; node: string; gpus: number };

/**
 * The few commands a journey needs to prove it reached the right allocation: `echo`, `hostname`
 * (the node) and `nvidia-smi -L` (one line per GPU of the allocation). Anything else is answered
 * the way a shell answers an unknown command. Pure: the same line on the same host prints the same.
 */
export function runCommand(line: string, host: TerminalHost): string {
  const words = line.trim().split(/\s+/).filter(Boolean);
  if (!words.length) return '';
  const [command, ...args] = words;
  if (command === 'echo') return `${args.join(' ')}\n`;
  if (command === 'hostname') return `${host.node}\n`;
  if (command === 'nvidia-smi' && args.length === 1 && args[0] === '-L')
    return Array.from(
      { length: host.gpus },
      (_, i) => `GPU ${i}: NVIDIA H100 80GB HBM3 (UUID: ${gpuUuid(host, i)})\n`,
    ).join('');
  return `sh: ${command}: command not found\n`;
}

/** A stable per-GPU id, shaped like NVIDIA's, derived from the node and allocation. */
function gpuUuid(host: TerminalHost, index: number): string {
  const hex = crypto.createHash('sha256').update(`${host.node}/${host.allocation}/${index}`).digest('hex');
  return `GPU-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
