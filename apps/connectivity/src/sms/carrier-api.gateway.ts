import { Inject, Injectable } from '@nestjs/common';
import { HttpRequest } from '@onebip/messaging';
import type { ConnectivityConfig } from '../config/connectivity-config';
import { CONNECTIVITY_CONFIG } from '../config/connectivity-config.module';
import { Sms, SmsGateway } from './sms-gateway';

/**
 * Submits SMS to SMS_GATEWAY_URL in the carrier API this project's stand-in speaks (`POST` with
 * `{ to, text, reference }`, any 2xx accepted): the simulated carrier (apps/simulated-carrier)
 * outside production. A real provider gets an adapter of its own (docs/architecture.md).
 */
@Injectable()
export class CarrierApiGateway implements SmsGateway {
  constructor(@Inject(CONNECTIVITY_CONFIG) private readonly config: ConnectivityConfig) {}

  submissionFor(sms: Sms): HttpRequest {
    return HttpRequest.to(this.config.smsGateway.url, 'POST')
      .withJson({ to: sms.phoneNumber, text: sms.text, reference: sms.reference })
      .ensureIs(200, 201, 202);
  }
}
