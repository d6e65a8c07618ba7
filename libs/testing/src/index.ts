export { waitFor, readJson } from './lib/wait-for';
export { ScriptedReceiver } from './lib/scripted-receiver';
export type { ScriptedAnswer, ReceivedRequest } from './lib/scripted-receiver';
export { testDatabaseUrl, testRedisUrl, uniquePrefix, freePort, deleteRedisKeys } from './lib/test-infrastructure';
export { ServiceProcess } from './lib/service-process';
export type { ServiceProcessOptions } from './lib/service-process';
