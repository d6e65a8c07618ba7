/**
 * The baseline's tables: the apps' schemas as their migrations leave them (the migrations under apps/billing and apps/connectivity),
 * so the baseline writes the same rows, indexes and constraints.
 */
export const BILLING_SCHEMA = `
  CREATE TABLE IF NOT EXISTS payments (
    id uuid PRIMARY KEY,
    amount bigint NOT NULL CHECK (amount > 0),
    currency char(3) NOT NULL,
    phone_number text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE IF NOT EXISTS messages (
    id uuid PRIMARY KEY,
    url text NOT NULL UNIQUE,
    payment_id uuid NOT NULL REFERENCES payments (id),
    text text NOT NULL,
    phone_number text NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'delivered', 'undeliverable')),
    attempts int NOT NULL DEFAULT 0,
    last_attempt text,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    reported_at timestamptz
  );
  CREATE INDEX IF NOT EXISTS messages_payment_id_idx ON messages (payment_id);
  CREATE INDEX IF NOT EXISTS messages_pending_created_at_idx ON messages (created_at) WHERE status = 'pending';
  CREATE TABLE IF NOT EXISTS message_events (
    id bigserial PRIMARY KEY,
    message_id uuid NOT NULL REFERENCES messages (id),
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    kind text NOT NULL CHECK (kind IN ('created', 'attempt', 'report')),
    attempt int,
    outcome text,
    status int,
    detail text,
    retry_in_ms int
  );
  CREATE INDEX IF NOT EXISTS message_events_message_id_idx ON message_events (message_id, id);
`;

export const CONNECTIVITY_SCHEMA = `
  CREATE TABLE IF NOT EXISTS messages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    message_url text NOT NULL,
    text text NOT NULL,
    phone_number text NOT NULL,
    status text NOT NULL DEFAULT 'accepted' CHECK (status IN ('accepted', 'delivered', 'undeliverable')),
    received_at timestamptz NOT NULL DEFAULT now(),
    callback text,
    final_at timestamptz
  );
  CREATE UNIQUE INDEX IF NOT EXISTS messages_message_url_key ON messages (message_url);
`;
