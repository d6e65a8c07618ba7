import { DeliveryMeasurement } from '../scenarios/delivery-stage';
import { EndToEndMeasurement } from '../scenarios/end-to-end';
import { FanOutMeasurement } from '../scenarios/event-fan-out';
import { RpcComparisonCell } from '../scenarios/messaging-vs-rpc';
import { TargetCheck } from './targets';

/**
 * The real side against its bare counterpart: the ratio of their throughputs, and of the CPU one
 * message costs the machine (bare / real: 1 means as cheap; steadier than throughput on a busy machine).
 */
export interface Comparison {
  ratio: number;
  cpuRatio: number;
}

/** Everything one run measured, as written to bench/results/<date>.json. */
export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; cpuModel: string; memoryMb: number; node: string; platform: string };
  settings: Record<string, unknown>;
  /**
   * (1) against (2): billing's delivery stage against the bare pipeline; and against the same
   * work written bare (`baseline`, compared in `sameWork`), which tells the framework's share.
   */
  delivery?: { real: DeliveryMeasurement; bare: DeliveryMeasurement; baseline?: DeliveryMeasurement; sameWork?: Comparison } & Comparison;
  /** (3) and (4): the real system, the bare baseline, and the ratio of their message throughputs. */
  endToEnd?: { real: EndToEndMeasurement; baseline: EndToEndMeasurement } & Comparison;
  /** (5) */
  messagingVsRpc?: RpcComparisonCell[];
  /** Events: what 0, 1 and 3 subscribers cost the publisher, and what a slow one costs the others. */
  events?: FanOutMeasurement[];
  /** Measurements that could not run, and why. */
  failures: string[];
  targets: TargetCheck[];
}
