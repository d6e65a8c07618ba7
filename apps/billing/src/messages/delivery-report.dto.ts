import { IsIn, IsISO8601, IsString, IsUrl } from 'class-validator';
import { FINAL_STATUSES } from './message.entity';

/** The body of `POST /messages/:id/delivery-reports`, as connectivity sends it. */
export class DeliveryReportDto {
  @IsString()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  message: string;

  @IsIn(FINAL_STATUSES)
  status: (typeof FINAL_STATUSES)[number];

  @IsISO8601()
  at: string;
}
