import { CreatePaymentsAndMessages1764200000000 } from './1764200000000-create-payments-and-messages';
import { AddDeliveryReports1764300000000 } from './1764300000000-add-delivery-reports';
import { AddMessageEvents1764400000000 } from './1764400000000-add-message-events';
import { IndexMessagesByCreation1764500000000 } from './1764500000000-index-messages-by-creation';
import { AddEvents1764700000000 } from './1764700000000-add-events';

/** Every migration of billing's database, oldest first. */
export const migrations = [
  CreatePaymentsAndMessages1764200000000,
  AddDeliveryReports1764300000000,
  AddMessageEvents1764400000000,
  IndexMessagesByCreation1764500000000,
  AddEvents1764700000000,
];
