import type { Cluster } from "node:cluster";

export function defaultWorkers(cores: number): number;
export function parseServerWorkers(value: string | undefined, cores: number): number;
export function hashThreadsPerWorker(cores: number, workers: number): number;
export function superviseWorkers(
  cluster: Cluster,
  options: { count: number; env?: Record<string, string>; log: (line: string) => void; fastExitMs?: number },
): { stop(): void; readonly stopping: boolean };
