import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CreatePaymentDto } from './create-payment.dto';
import { paymentView } from './payment.view';
import { PaymentsService } from './payments.service';

/**
 * The public edge of the system: clients pay here. It answers as soon as the payment and its
 * message are stored; the message reaches connectivity later, through the job queue.
 */
@Controller('payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Post()
  @HttpCode(201)
  async pay(@Body() order: CreatePaymentDto) {
    const { payment, message } = await this.payments.pay(order);
    return paymentView(payment, message);
  }

  @Get(':id')
  async show(@Param('id') id: string) {
    const { payment, message } = await this.payments.findById(id);
    return paymentView(payment, message);
  }
}
