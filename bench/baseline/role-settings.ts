/**
 * What a bare process reads from its environment: the same variables as the apps. Only the bench
 * starts these processes and it sets every variable, so a missing one is a bench bug, named.
 */
export interface RoleSettings {
  port: number;
  /** This process's own URL (BILLING_PUBLIC_URL): the base of billing's message URLs. */
  publicUrl: string;
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  connectivityUrl: string;
  /** Where connectivity submits SMS; by default the simulated carrier it serves itself. */
  smsGatewayUrl: string;
  secrets: string[];
  deliveryConcurrency: number;
}

export function readRoleSettings(env: Record<string, string | undefined> = process.env): RoleSettings {
  const required = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set: bench processes are started by the bench, which sets it`);
    return value;
  };
  return {
    port: Number(required('PORT')),
    publicUrl: env.BILLING_PUBLIC_URL ?? `http://127.0.0.1:${required('PORT')}`,
    databaseUrl: env.DATABASE_URL ?? '',
    redisUrl: required('REDIS_URL'),
    queuePrefix: env.QUEUE_PREFIX ?? 'bench',
    connectivityUrl: env.CONNECTIVITY_URL ?? '',
    smsGatewayUrl: env.SMS_GATEWAY_URL ?? `http://127.0.0.1:${required('PORT')}/simulated-carrier/sms`,
    secrets: required('MESSAGING_SECRETS').split(','),
    deliveryConcurrency: Number(env.DELIVERY_CONCURRENCY ?? 16),
  };
}
