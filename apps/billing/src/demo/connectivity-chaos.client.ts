import { Inject, Injectable } from '@nestjs/common';
import { signedFetch } from '@onebip/messaging';
import { AppError } from '@onebip/platform';
import type { BillingConfig } from '../config/billing-config';
import { BILLING_CONFIG } from '../config/billing-config.module';

/**
 * Connectivity's chaos switches (/admin/chaos, there only with CHAOS_ENABLED=true), reached with
 * a signed request like every call between the services. For the demo console only: nothing
 * in billing's own flow calls connectivity synchronously.
 */
@Injectable()
export class ConnectivityChaosClient {
  constructor(@Inject(BILLING_CONFIG) private readonly config: BillingConfig) {}

  /** The switches as they stand, or why they cannot be read (connectivity down, chaos disabled). */
  async read(): Promise<{ settings: Record<string, unknown> | null; unavailable?: string }> {
    try {
      const response = await this.call('GET');
      if (response.status === 404) return { settings: null, unavailable: 'connectivity runs without CHAOS_ENABLED=true' };
      if (!response.ok) return { settings: null, unavailable: `connectivity answered ${response.status}` };
      return { settings: (await response.json()) as Record<string, unknown> };
    } catch (error) {
      return { settings: null, unavailable: `connectivity does not answer (${describe(error)})` };
    }
  }

  async set(settings: Record<string, unknown>): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await this.call('PUT', JSON.stringify(settings));
    } catch (error) {
      throw new AppError('connectivity_unreachable', 502, `connectivity does not answer (${describe(error)})`);
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.status === 404) throw new AppError('chaos_disabled', 409, 'connectivity runs without CHAOS_ENABLED=true');
    if (!response.ok) throw new AppError('chaos_refused', response.status === 400 ? 400 : 502, `connectivity refused the switches: ${JSON.stringify(body)}`);
    return body;
  }

  private call(method: 'GET' | 'PUT', body?: string): Promise<Response> {
    return signedFetch(`${this.config.connectivityUrl}/admin/chaos`, this.config.messaging.secrets, { method, body, signal: AbortSignal.timeout(2000) });
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
