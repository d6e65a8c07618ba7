import { canonicalMessageUrl } from '@onebip/messaging';
import { IsOptional, IsString, IsUrl, Length, Matches, MaxLength, ValidateIf, ValidationArguments, registerDecorator } from 'class-validator';

const PHONE_NUMBER = /^\+?\d{6,15}$/;

/**
 * The body of `POST /messages`: a message to send, identified by its URL at the sender.
 * Unknown fields are ignored (a tolerant reader). The phone number may come under its old name,
 * `phonenumber`, alone or beside `phoneNumber`; when both come they must agree (docs/compatibility.md).
 */
export class ReceiveMessageDto {
  @IsString()
  @Length(1, 1600)
  text: string;

  @ValidateIf((body: ReceiveMessageDto) => body.phonenumber === undefined || body.phoneNumber !== undefined)
  @IsString()
  @Matches(PHONE_NUMBER, { message: 'phoneNumber must be 6 to 15 digits, optionally after a +' })
  phoneNumber?: string;

  /** The field's name before the rename; still read, see docs/compatibility.md. */
  @IsOptional()
  @IsString()
  @Matches(PHONE_NUMBER, { message: 'phonenumber must be 6 to 15 digits, optionally after a +' })
  @AgreesWith('phoneNumber')
  phonenumber?: string;

  @IsString()
  @MaxLength(2048)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'message must be an absolute http(s) URL' })
  @WithoutCredentials()
  @HasCanonicalForm()
  message: string;

  /** Where the sender wants the delivery report; only hosts connectivity may call are accepted. */
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'callback must be an absolute http(s) URL' })
  @WithoutCredentials()
  @HasCanonicalForm()
  callback?: string;
}

/** The phone number of a valid body, whichever name it came under. */
export function phoneNumberOf(body: ReceiveMessageDto): string {
  return (body.phoneNumber ?? body.phonenumber) as string;
}

function AgreesWith(other: keyof ReceiveMessageDto) {
  return (target: object, property: string) =>
    registerDecorator({
      name: 'agreesWith',
      target: target.constructor,
      propertyName: property,
      constraints: [other],
      options: { message: `${property} and ${String(other)} must be equal when both are given` },
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const otherValue = (args.object as ReceiveMessageDto)[other];
          return otherValue === undefined || otherValue === value;
        },
      },
    });
}

/**
 * A URL without `user:password@`: a message URL is an identity that is stored, logged and sent
 * on (to the carrier as its reference), and a credential has no place in any of them.
 */
function WithoutCredentials() {
  return (target: object, property: string) =>
    registerDecorator({
      name: 'withoutCredentials',
      target: target.constructor,
      propertyName: property,
      options: { message: `${property} must not carry credentials (user:password@)` },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return true;
          try {
            const url = new URL(value);
            return url.username === '' && url.password === '' && !/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(value);
          } catch {
            return true; // not a URL: IsUrl says so
          }
        },
      },
    });
}

/**
 * A URL that has a canonical form (docs/protocol.md): no fragment, nothing a parser would repair.
 * Credentials are WithoutCredentials' to refuse, and a URL that is none IsUrl's.
 */
function HasCanonicalForm() {
  return (target: object, property: string) =>
    registerDecorator({
      name: 'hasCanonicalForm',
      target: target.constructor,
      propertyName: property,
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return true;
          const result = canonicalMessageUrl(value);
          return result.ok || /credentials/.test(result.problem);
        },
        defaultMessage: (args?: ValidationArguments) => {
          const result = canonicalMessageUrl(String(args?.value));
          return `${property} ${result.ok ? 'is not a URL as docs/protocol.md writes it' : result.problem}`;
        },
      },
    });
}
