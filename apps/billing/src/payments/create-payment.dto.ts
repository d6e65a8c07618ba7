import { IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';

const CURRENCIES = Intl.supportedValuesOf('currency');

/** The body of `POST /payments`. */
export class CreatePaymentDto {
  @IsString()
  @Matches(/^\+?\d{6,15}$/, { message: 'phoneNumber must be 6 to 15 digits, optionally after a +' })
  phoneNumber: string;

  /** In minor units of the currency: 1299 is 12.99 EUR. */
  @IsInt()
  @Min(1)
  @Max(1_000_000_000_000)
  amount: number;

  @IsString()
  @IsIn(CURRENCIES, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency: string;
}
