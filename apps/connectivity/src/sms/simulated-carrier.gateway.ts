import { Inject, Injectable } from '@nestjs/common';
import { HttpRequest } from '@onebip/messaging';
import type { ConnectivityConfig } from '../config/connectivity-config';
import { CONNECTIVITY_CONFIG } from '../config/connectivity-config.module';
import { Sms, SmsGateway } from './sms-gateway';

/** Submits SMS to the simulated carrier (by default the one this app serves at /simulated-carrier/sms). */
@Injectable()
export class SimulatedCarrierGateway implements SmsGateway {
  constructor(@Inject(CONNECTIVITY_CONFIG) private readonly config: ConnectivityConfig) {}

  submissionFor(sms: Sms): HttpRequest {
    return HttpRequest.to(this.config.smsGateway.url, 'POST')
      .withJson({ to: sms.phoneNumber, text: sms.text, reference: sms.reference })
      .ensureIs(200, 201, 202);
  }
}
