import { CreatePaymentsAndMessages1764200000000 } from './1764200000000-create-payments-and-messages';

/** Every migration of billing's database, oldest first. */
export const migrations = [CreatePaymentsAndMessages1764200000000];
