import { CreateMessages1764200000000 } from './1764200000000-create-messages';

/** Every migration of connectivity's database, oldest first. */
export const migrations = [CreateMessages1764200000000];
