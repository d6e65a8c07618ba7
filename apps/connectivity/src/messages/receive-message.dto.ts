import { IsString, IsUrl, Length, Matches, MaxLength } from 'class-validator';

/** The body of `POST /messages`: a message to send, identified by its URL at the sender. */
export class ReceiveMessageDto {
  @IsString()
  @Length(1, 1600)
  text: string;

  @IsString()
  @Matches(/^\+?\d{6,15}$/, { message: 'phoneNumber must be 6 to 15 digits, optionally after a +' })
  phoneNumber: string;

  @IsString()
  @MaxLength(2048)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'message must be an absolute http(s) URL' })
  message: string;
}
