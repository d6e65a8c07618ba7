export { waitFor, readJson } from './lib/wait-for';
export { ScriptedReceiver } from './lib/scripted-receiver';
export type { ScriptedAnswer, ReceivedRequest } from './lib/scripted-receiver';
export {
  testDatabaseUrl,
  testRedisUrl,
  uniquePrefix,
  freePort,
  deleteRedisKeys,
  loseRedisKeys,
  scratchDatabase,
  TEST_SECRET,
  TEST_EDGE,
} from './lib/test-infrastructure';
export { ServiceProcess } from './lib/service-process';
export type { ServiceProcessOptions } from './lib/service-process';
export {
  DOCKER_COMPOSE_MISSING,
  COMPOSE_FILES,
  PRODUCTION_STAND_INS,
  runDockerCompose,
  workspaceRoot,
  ensureDockerCompose,
  validateComposeFile,
  composeConfig,
  composeService,
  composeServiceEnvironment,
  composeContainerEnvironment,
  dockerfileEnvironment,
  composeServicePorts,
  readVariablesUsed,
  envExampleVariables,
} from './lib/compose-file';
export type { ComposeConfig, ComposeService, ComposeVariant, PublishedPort } from './lib/compose-file';
export { describeComposedService } from './lib/composed-service-suite';
export { TcpProxy } from './lib/tcp-proxy';
export { FaultProxy } from './lib/fault-proxy';
export { FaultSchedule } from './lib/fault-schedule';
export type { Fault } from './lib/fault-schedule';
export { deferredCleanups } from './lib/deferred-cleanups';
