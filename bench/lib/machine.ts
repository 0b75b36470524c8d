/**
 * The machine a run was made on: benchmark figures mean little without it. The load average is
 * recorded at the start and the end, since other processes on the machine skew every timing.
 */
import os from 'node:os';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  loadAverageStart: number[];
  loadAverageEnd?: number[];
}

export const machineInfo = (): MachineInfo => ({
  cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
  cores: os.cpus().length,
  memoryGb: Math.round(os.totalmem() / 1024 ** 3),
  os: `${os.type()} ${os.release()} (${os.arch()})`,
  node: process.version,
  loadAverageStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
});

export const loadAverageNow = (): number[] => os.loadavg().map((l) => Math.round(l * 100) / 100);
