import { RequestJob } from '@onebip/messaging';
import { Message } from './message.entity';

/**
 * The port through which messages gets an accepted message sent as an SMS: it asks for the job
 * and queues it. Messages defines it and the sms feature provides it (SMS_JOBS), so the
 * dependency goes one way, sms on messages: sms needs messages' API to settle a message when its
 * SMS job ends, while messages needs nothing of sms but a job to queue.
 */
export interface SmsJobs {
  /** The job that sends `message` as an SMS, with one identity per message: queueing it again adds nothing. */
  smsJobFor(message: Pick<Message, 'messageUrl' | 'phoneNumber' | 'text'>): RequestJob;
}

/** Injection token of the SmsJobs the sms feature provides. */
export const SMS_JOBS = Symbol('SMS_JOBS');
