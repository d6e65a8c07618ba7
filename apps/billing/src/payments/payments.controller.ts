import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { PeerSigned, SignedByPeersOptionally } from '@onebip/messaging';
import { RateLimited, UuidParam } from '@onebip/platform';
import { CreatePaymentDto } from './create-payment.dto';
import { paymentView } from './payment.view';
import { PaymentsService } from './payments.service';

/** The rate limit group of POST /payments (RATE_LIMIT_PAYMENTS_PER_MINUTE): each payment sends an SMS. */
export const PAYMENTS_RATE_LIMIT = 'payments';

/**
 * The public edge of the system: clients pay here. It answers as soon as the payment and its
 * message are stored; the message reaches connectivity later, through the job queue.
 */
@Controller('payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Post()
  @HttpCode(201)
  @RateLimited(PAYMENTS_RATE_LIMIT)
  async pay(@Body() order: CreatePaymentDto) {
    const { payment, message } = await this.payments.pay(order);
    return paymentView(payment, message, { wholePhoneNumber: true });
  }

  /** Anyone with the id may look; only a peer's signed request sees the whole phone number. */
  @Get(':id')
  @SignedByPeersOptionally()
  async show(@UuidParam('id', 'payment') id: string, @PeerSigned() signed: boolean) {
    const { payment, message } = await this.payments.findById(id);
    return paymentView(payment, message, { wholePhoneNumber: signed });
  }
}
