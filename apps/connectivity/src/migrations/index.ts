import { CreateMessages1764200000000 } from './1764200000000-create-messages';
import { AddDeliveryAndCallback1764300000000 } from './1764300000000-add-delivery-and-callback';
import { IndexAcceptedMessages1764400000000 } from './1764400000000-index-accepted-messages';
import { AddCanonicalMessageUrls1764500000000 } from './1764500000000-add-canonical-message-urls';
import { RecordDeliveryReportOutcomes1764600000000 } from './1764600000000-record-delivery-report-outcomes';

/** Every migration of connectivity's database, oldest first. */
export const migrations = [
  CreateMessages1764200000000,
  AddDeliveryAndCallback1764300000000,
  IndexAcceptedMessages1764400000000,
  AddCanonicalMessageUrls1764500000000,
  RecordDeliveryReportOutcomes1764600000000,
];
