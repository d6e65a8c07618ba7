import { CreatePaymentsAndMessages1764200000000 } from './1764200000000-create-payments-and-messages';
import { AddDeliveryReports1764300000000 } from './1764300000000-add-delivery-reports';

/** Every migration of billing's database, oldest first. */
export const migrations = [CreatePaymentsAndMessages1764200000000, AddDeliveryReports1764300000000];
