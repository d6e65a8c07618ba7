import { HttpProblem } from './http-kit';

const PHONE_NUMBER = /^\+?\d{6,15}$/;
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The checks of the apps' DTOs, written by hand: each field at fault is named, as the apps' 400 does. */
class FieldProblems {
  private readonly fields: Record<string, string[]> = {};

  check(holds: boolean, field: string, problem: string): void {
    if (!holds) (this.fields[field] ??= []).push(problem);
  }

  /** Throws a 400 naming every field at fault, if any is. */
  done(): void {
    if (Object.keys(this.fields).length > 0) throw new HttpProblem(400, 'invalid', 'the request is invalid', { fields: this.fields });
  }
}

/** A payment as POST /payments takes it. */
export interface PaymentOrder {
  phoneNumber: string;
  amount: number;
  currency: string;
}

export function validPayment(body: Record<string, unknown>): PaymentOrder {
  const problems = new FieldProblems();
  problems.check(
    typeof body.phoneNumber === 'string' && PHONE_NUMBER.test(body.phoneNumber),
    'phoneNumber',
    'phoneNumber must be 6 to 15 digits, optionally after a +',
  );
  problems.check(
    Number.isInteger(body.amount) && (body.amount as number) >= 1 && (body.amount as number) <= 1e12,
    'amount',
    'amount must be a whole number from 1 to 1000000000000',
  );
  problems.check(typeof body.currency === 'string' && CURRENCIES.has(body.currency), 'currency', 'currency must be an ISO 4217 code such as EUR');
  problems.done();
  return { phoneNumber: body.phoneNumber as string, amount: body.amount as number, currency: body.currency as string };
}

/** A message as connectivity's POST /messages takes it, the phone number under either name. */
export interface IncomingMessageOrder {
  text: string;
  phoneNumber: string;
  message: string;
  callback?: string;
}

export function validMessage(body: Record<string, unknown>): IncomingMessageOrder {
  const problems = new FieldProblems();
  const { text, phoneNumber, phonenumber, message, callback } = body;
  problems.check(typeof text === 'string' && text.length >= 1 && text.length <= 1600, 'text', 'text must be 1 to 1600 characters');
  const number = phoneNumber ?? phonenumber;
  problems.check(typeof number === 'string' && PHONE_NUMBER.test(number), 'phoneNumber', 'phoneNumber must be 6 to 15 digits, optionally after a +');
  problems.check(
    phonenumber === undefined || phoneNumber === undefined || phonenumber === phoneNumber,
    'phonenumber',
    'phonenumber and phoneNumber must be equal when both are given',
  );
  problems.check(isHttpUrl(message), 'message', 'message must be an absolute http(s) URL');
  problems.check(callback === undefined || isHttpUrl(callback), 'callback', 'callback must be an absolute http(s) URL');
  problems.done();
  return { text: text as string, phoneNumber: number as string, message: message as string, callback: callback as string | undefined };
}

/** A delivery report as billing's POST /messages/:id/delivery-reports takes it. */
export interface DeliveryReportOrder {
  message: string;
  status: 'delivered' | 'undeliverable';
}

export function validReport(body: Record<string, unknown>): DeliveryReportOrder {
  const problems = new FieldProblems();
  problems.check(isHttpUrl(body.message), 'message', 'message must be an absolute http(s) URL');
  problems.check(body.status === 'delivered' || body.status === 'undeliverable', 'status', 'status must be delivered or undeliverable');
  problems.check(typeof body.at === 'string' && !Number.isNaN(Date.parse(body.at)), 'at', 'at must be an ISO 8601 date');
  problems.done();
  return { message: body.message as string, status: body.status as DeliveryReportOrder['status'] };
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 2048) return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
