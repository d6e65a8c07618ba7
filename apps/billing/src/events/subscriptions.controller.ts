import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { SignedByPeers } from '@onebip/messaging';
import { PutSubscriptionDto } from './put-subscription.dto';
import { subscriptionView } from './subscription.view';
import { SubscriptionsService } from './subscriptions.service';

/**
 * Peer services subscribe to billing's events here, signed with X-Authentication like every
 * service call: only holders of MESSAGING_SECRETS subscribe, and each subscription's deliveries
 * are signed with a secret of its own, shown once.
 */
@Controller('subscriptions')
@SignedByPeers()
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  /** 201 with the secret for a new subscription; 200 without it for the same one again, or an update. */
  @Put(':subscriber')
  async put(@Param('subscriber') subscriber: string, @Body() body: PutSubscriptionDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const outcome = await this.subscriptions.put(subscriber, body);
    if (outcome.created) {
      reply.status(201);
      return { subscription: subscriptionView(outcome.subscription), secret: outcome.secret };
    }
    reply.status(200);
    return { subscription: subscriptionView(outcome.subscription) };
  }

  @Get()
  async list() {
    return { subscriptions: (await this.subscriptions.list()).map(subscriptionView) };
  }

  @Delete(':subscriber')
  @HttpCode(204)
  async delete(@Param('subscriber') subscriber: string): Promise<void> {
    await this.subscriptions.delete(subscriber);
  }

  /** A new secret, shown this once; the one before still signs for EVENT_SECRET_OVERLAP_S. */
  @Post(':subscriber/secret')
  @HttpCode(200)
  async rotate(@Param('subscriber') subscriber: string) {
    const { subscription, secret } = await this.subscriptions.rotateSecret(subscriber);
    return { subscription: subscriptionView(subscription), secret };
  }
}
