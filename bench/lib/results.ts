/**
 * The shape of bench/results/latest.json: one object per section that ran, plus the machine,
 * the sizes and anything skipped or failed, with the reason.
 */
import type { BulkBenchResults } from '../sections/bulk';
import type { ColdStartResults } from '../sections/cold-start';
import type { CostResults } from '../sections/cost-model';
import type { CycleResults } from '../sections/entra-cycle';
import type { FreshnessResults } from '../sections/freshness';
import type { GatewayCpuResults } from '../sections/gateway-cpu';
import type { HandlerCpuResults } from '../sections/handler-cpu';
import type { OAuthResults } from '../sections/oauth';
import type { RoundTripResults } from '../sections/round-trips';
import type { ScaleResults } from '../sections/scale';
import type { WebhookLatencyResults } from '../sections/webhook-latency';
import type { MachineInfo } from './machine';
import type { BenchSizes, SectionId } from './options';

export interface BenchResults {
  schemaVersion: 1;
  date: string;
  quick: boolean;
  sizes: BenchSizes;
  sections: SectionId[];
  machine: MachineInfo;
  durationSeconds: number;
  roundTrips?: RoundTripResults;
  cpu?: HandlerCpuResults;
  /** OAuth 2.0 client credentials: token issue, JWT verification, authorizer (issue 17). */
  oauth?: OAuthResults;
  gatewayCpu?: GatewayCpuResults;
  coldStart?: ColdStartResults;
  scale?: ScaleResults;
  bulk?: BulkBenchResults;
  cycle?: CycleResults;
  freshness?: FreshnessResults;
  webhooks?: WebhookLatencyResults;
  cost?: CostResults;
  /** Sections that did not run, and why. */
  skipped: Partial<Record<SectionId, string>>;
  /** Sections that failed, with the error message. */
  failed: Partial<Record<SectionId, string>>;
}
